using System.Security.Cryptography;
using MustStaple.Certificates;

namespace MustStaple.Core.Tests.Certificates;

/// <summary>The PBKDF2 over OpenSSL's SHA-256 block function derives exactly what .NET's does, and is used on Linux.</summary>
[TestClass]
public sealed class OpenSslPbkdf2Tests
{
    [TestMethod]
    public void OnLinux_ItLoadsAndDerives()
    {
        if (!OperatingSystem.IsLinux()) Assert.Inconclusive("libcrypto's block function is used on Linux only");

        // act
        var usable = OpenSslPbkdf2.TryDerive("pw"u8.ToArray(), [1, 2, 3], 2048, 32, out var key);

        // assert
        Assert.IsTrue(usable, "libcrypto.so.3 is on this machine: the faster derivation should be used");
        CollectionAssert.AreEqual(Rfc2898DeriveBytes.Pbkdf2("pw"u8.ToArray(), new byte[] { 1, 2, 3 }, 2048, HashAlgorithmName.SHA256, 32), key);
    }

    [TestMethod]
    public void EveryShape_DerivesWhatRfc2898DeriveBytesDerives()
    {
        // arrange: passwords around the 64-byte block (longer ones are hashed first), salts whose first block spills into a
        // second, one to 2,048 iterations, keys of part of, one and several SHA-256 outputs
        var random = new Random(20261206);
        var cases = 0;
        foreach (var passwordLength in new[] { 0, 1, 14, 63, 64, 65, 200 })
            foreach (var saltLength in new[] { 0, 8, 20, 51, 52, 60, 130 })
                foreach (var (iterations, length) in new[] { (1, 16), (2, 32), (3, 33), (100, 24), (2048, 32), (7, 64), (5, 100) })
                {
                    var password = new byte[passwordLength];
                    var salt = new byte[saltLength];
                    random.NextBytes(password);
                    random.NextBytes(salt);

                    // act
                    if (!OpenSslPbkdf2.TryDerive(password, salt, iterations, length, out var key))
                    {
                        Assert.IsFalse(OperatingSystem.IsLinux(), "derivation refused on Linux");
                        continue;
                    }

                    // assert
                    CollectionAssert.AreEqual(Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, length), key,
                        $"password {passwordLength} bytes, salt {saltLength}, {iterations} iterations, {length}-byte key");
                    cases++;
                }
        Assert.IsTrue(cases == 343 || !OperatingSystem.IsLinux(), $"{cases} cases compared");
    }
}
