#if NET
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MustStaple.Certificates;

/// <summary>
/// PBKDF2-HMAC-SHA-256 over OpenSSL's SHA-256 block function, with the HMAC's inner and outer states computed once per
/// derivation: an iteration is two block calls. OpenSSL 3's own PBKDF2, which <see cref="Rfc2898DeriveBytes"/> calls on
/// Linux, spends about as long per iteration outside the hash (context copies, cleansing) as in it: a PKCS#12 file's
/// 2,048 iterations take ~0.37 ms here instead of ~0.70 ms (docs/performance.md, 2026-12-06). Used only where libcrypto
/// loads and a known-answer test against <see cref="Rfc2898DeriveBytes"/> passes; <see cref="TryDerive"/> says false
/// everywhere else, and the caller derives as before.
/// </summary>
internal static unsafe class OpenSslPbkdf2
{
    // SHA256_CTX of OpenSSL 1.1 and 3 (openssl/sha.h): the chaining value first.
    [StructLayout(LayoutKind.Sequential)]
    private struct Sha256Context
    {
        public fixed uint H[8];
        public uint Nl, Nh;
        public fixed uint Data[16];
        public uint Num, MdLen;
    }

    private static readonly uint[] InitialState = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    private static readonly delegate* unmanaged[SuppressGCTransition]<Sha256Context*, byte*, void> Transform = LoadTransform();

    private static readonly bool Usable = Transform != null && PassesKnownAnswerTest();

    /// <summary>PBKDF2-HMAC-SHA-256 of <paramref name="password"/>, or false when this machine has no usable libcrypto.</summary>
    public static bool TryDerive(byte[] password, byte[] salt, int iterations, int length, out byte[] key)
    {
        key = [];
        if (!Usable || iterations < 1 || length < 1) return false;
        key = Derive(password, salt, iterations, length);
        return true;
    }

    private static delegate* unmanaged[SuppressGCTransition]<Sha256Context*, byte*, void> LoadTransform()
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var name in new[] { "libcrypto.so.3", "libcrypto.so.1.1" })
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "SHA256_Transform", out var export))
                return (delegate* unmanaged[SuppressGCTransition]<Sha256Context*, byte*, void>)export;
        return null;
    }

    private static bool PassesKnownAnswerTest()
    {
        try
        {
            // two output blocks, a password longer than a SHA-256 block, and an ordinary one
            var longPassword = new byte[100];
            for (var i = 0; i < longPassword.Length; i++) longPassword[i] = (byte)(i * 7);
            var salt = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
            return Derive("muststaple"u8.ToArray(), salt, 5, 40).AsSpan().SequenceEqual(Rfc2898DeriveBytes.Pbkdf2("muststaple"u8.ToArray(), salt, 5, HashAlgorithmName.SHA256, 40))
                && Derive(longPassword, salt, 3, 32).AsSpan().SequenceEqual(Rfc2898DeriveBytes.Pbkdf2(longPassword, salt, 3, HashAlgorithmName.SHA256, 32));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hot from its first call: never run as tier-0 code on the JIT path
    private static byte[] Derive(byte[] password, byte[] salt, int iterations, int length)
    {
        Span<byte> key = stackalloc byte[64];
        key.Clear();
        if (password.Length > 64) SHA256.HashData(password, key);
        else password.CopyTo(key);
        uint* inner = stackalloc uint[8];
        uint* outer = stackalloc uint[8];
        byte* pad = stackalloc byte[64];
        for (var i = 0; i < 8; i++) inner[i] = outer[i] = InitialState[i];
        for (var i = 0; i < 64; i++) pad[i] = (byte)(key[i] ^ 0x36);
        Compress(inner, pad, inner);
        for (var i = 0; i < 64; i++) pad[i] = (byte)(key[i] ^ 0x5c);
        Compress(outer, pad, outer);

        // U as the first 32 bytes of a block padded for a 64 + 32-byte message (the HMAC key block, then U)
        byte* block = stackalloc byte[64];
        new Span<byte>(block, 64).Clear();
        block[32] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(new Span<byte>(block + 56, 8), (64 + 32) * 8);
        uint* state = stackalloc uint[8];
        Span<byte> sum = stackalloc byte[32];
        var first = new byte[salt.Length + 4];
        salt.CopyTo(first, 0);
        var result = new byte[length];
        for (int index = 1, offset = 0; offset < length; index++, offset += 32)
        {
            // U1 = HMAC(password, salt || INT(index)), then U2…Un, each digest written big-endian straight into the next block
            BinaryPrimitives.WriteInt32BigEndian(first.AsSpan(salt.Length), index);
            for (var i = 0; i < 8; i++) state[i] = inner[i];
            HashTail(state, first, 64, block);
            Compress(outer, block, state);
            Store(state, block);
            new ReadOnlySpan<byte>(block, 32).CopyTo(sum);
            fixed (byte* sumBytes = sum)
            {
                ulong* acc = (ulong*)sumBytes, u = (ulong*)block;
                for (var n = 1; n < iterations; n++)
                {
                    Compress(inner, block, state);
                    Store(state, block);
                    Compress(outer, block, state);
                    Store(state, block);
                    for (var i = 0; i < 4; i++) acc[i] ^= u[i];
                }
            }
            sum.Slice(0, Math.Min(32, length - offset)).CopyTo(result.AsSpan(offset));
        }
        return result;
    }

    // Hashes message (after `absorbed` bytes already in state) to its end with SHA-256 padding; the digest goes to out32.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hot from its first call: never run as tier-0 code on the JIT path
    private static void HashTail(uint* state, byte[] message, long absorbed, byte* out32)
    {
        var padded = (message.Length + 9 + 63) / 64 * 64;
        var buffer = new byte[padded];
        message.CopyTo(buffer, 0);
        buffer[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan(padded - 8), (ulong)(absorbed + message.Length) * 8);
        fixed (byte* p = buffer)
            for (var at = 0; at < padded; at += 64) Compress(state, p + at, state);
        Store(state, out32);
    }

    // One block from the chaining value `from`; the new chaining value into `to` (which may be `from`).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hot from its first call: never run as tier-0 code on the JIT path
    private static void Compress(uint* from, byte* block, uint* to)
    {
        System.Runtime.CompilerServices.Unsafe.SkipInit(out Sha256Context context);
        for (var i = 0; i < 8; i++) context.H[i] = from[i];
        Transform(&context, block);
        for (var i = 0; i < 8; i++) to[i] = context.H[i];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hot from its first call: never run as tier-0 code on the JIT path
    private static void Store(uint* state, byte* to)
    {
        for (var i = 0; i < 8; i++) ((uint*)to)[i] = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(state[i]) : state[i];
    }
}
#endif
