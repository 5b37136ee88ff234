using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace MustStaple.Certificates;

/// <summary>
/// Reads the facts of a certificate in plain DER without building BouncyCastle's object tree for it: a certificate
/// costs a few allocations instead of hundreds (docs/performance.md, 2026-12-06). Deliberately narrow: it accepts only
/// the encodings BouncyCastle reads into the very same facts — definite minimal lengths, minimal INTEGERs, single-valued
/// RDNs of string types, <c>YYMMDDHHMMSSZ</c>/<c>YYYYMMDDHHMMSSZ</c> times, v1 or v3 with unique extensions — and
/// returns null for anything else, so the caller asks BouncyCastle (and then .NET) exactly as before.
/// <c>DerCertificateTests</c> compares both readers over generated, corpus and mutated certificates.
/// </summary>
internal static class DerCertificate
{
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private const int MaxDepth = 12; // a certificate's own structure nests ~8 deep; deeper is left to the guarded readers

    /// <summary>The fields of <paramref name="der"/>, or null when it is not a certificate this reader takes.</summary>
    public static X509Facts.Fields? TryRead(byte[] der)
    {
        // Every element outside OCTET and BIT STRING contents must be one BouncyCastle reads without complaint.
        if (!Valid(der, 0, der.Length, 0, out var outer) || outer != 1) return null;
        var r = new Reader(der, 0, der.Length);
        if (!r.Next(0x30, out var certStart, out var certEnd) || r.Pos != der.Length) return null;
        var c = new Reader(der, certStart, certEnd);
        if (!c.Next(0x30, out var tbsStart, out var tbsEnd)) return null;
        if (!c.Next(0x30, out var algStart, out var algEnd) || !IsAlgorithm(der, algStart, algEnd)) return null;
        if (!c.Next(0x03, out var sigStart, out _) || der[sigStart] != 0) return null;
        if (!c.AtEnd) return null;

        var t = new Reader(der, tbsStart, tbsEnd);
        var v3 = false;
        if (t.Peek == 0xA0)
        {
            // version [0] EXPLICIT INTEGER: only v3 is taken here (v1 written out and v2 are left to BouncyCastle)
            if (!t.Next(0xA0, out var vStart, out var vEnd) || vEnd - vStart != 3 || der[vStart] != 0x02 || der[vStart + 1] != 1 || der[vStart + 2] != 2)
                return null;
            v3 = true;
        }
        if (!t.Next(0x02, out var serialStart, out var serialEnd) || (der[serialStart] & 0x80) != 0) return null; // a negative serial: BouncyCastle's
        if (!t.Next(0x30, out var sigAlgStart, out var sigAlgEnd) || !IsAlgorithm(der, sigAlgStart, sigAlgEnd)) return null;
        var issuerAt = t.Pos;
        if (!t.Next(0x30, out var issuerStart, out var issuerEnd) || !IsName(der, issuerStart, issuerEnd)) return null;
        var issuerDer = Slice(der, issuerAt, issuerEnd);
        if (!t.Next(0x30, out var validityStart, out var validityEnd)) return null;
        var validity = new Reader(der, validityStart, validityEnd);
        if (!ReadTime(der, ref validity, out var notBefore) || !ReadTime(der, ref validity, out var notAfter) || !validity.AtEnd) return null;
        var subjectAt = t.Pos;
        if (!t.Next(0x30, out var subjectStart, out var subjectEnd) || !IsName(der, subjectStart, subjectEnd)) return null;
        var subjectDer = Slice(der, subjectAt, subjectEnd);
        if (!t.Next(0x30, out var spkiStart, out var spkiEnd)) return null;
        var spki = new Reader(der, spkiStart, spkiEnd);
        if (!spki.Next(0x30, out var keyAlgStart, out var keyAlgEnd) || !IsAlgorithm(der, keyAlgStart, keyAlgEnd)) return null;
        if (!spki.Next(0x03, out var keyStart, out _) || der[keyStart] != 0 || !spki.AtEnd) return null;

        var extensions = new List<(string Oid, bool Critical, byte[] Value)>();
        var seen = new HashSet<string>(StringComparer.Ordinal); // a set: a hostile certificate may carry a million extensions
        if (!t.AtEnd)
        {
            // Only extensions [3] after the key; issuer/subject unique IDs are left to BouncyCastle.
            if (!v3 || !t.Next(0xA3, out var wrapStart, out var wrapEnd) || !t.AtEnd) return null;
            var wrap = new Reader(der, wrapStart, wrapEnd);
            if (!wrap.Next(0x30, out var listStart, out var listEnd) || !wrap.AtEnd || listStart == listEnd) return null;
            var list = new Reader(der, listStart, listEnd);
            while (!list.AtEnd)
            {
                if (!list.Next(0x30, out var extStart, out var extEnd)) return null;
                var e = new Reader(der, extStart, extEnd);
                if (!e.Next(0x06, out var oidStart, out var oidEnd) || OidText(der, oidStart, oidEnd) is not { } oid) return null;
                var critical = false;
                if (e.Peek == 0x01)
                {
                    if (!e.Next(0x01, out var boolStart, out _)) return null;
                    if (der[boolStart] is not (0x00 or 0xFF)) return null;
                    critical = der[boolStart] == 0xFF;
                }
                if (!e.Next(0x04, out var valueStart, out var valueEnd) || !e.AtEnd) return null;
                if (!seen.Add(oid)) return null; // BouncyCastle refuses a repeated extension: .NET decides
                extensions.Add((oid, critical, Slice(der, valueStart, valueEnd)));
            }
        }

        // BouncyCastle's certificate reads basicConstraints and keyUsage when it is built, and refuses the whole
        // certificate when either does not parse: leave such a certificate to it.
        bool? isCa = false;
        foreach (var (oid, _, value) in extensions)
        {
            try
            {
                if (oid == X509Extensions.BasicConstraints.Id) isCa = BasicConstraints.GetInstance(Asn1Object.FromByteArray(value)).IsCA();
                else if (oid == X509Extensions.KeyUsage.Id) DerBitString.GetInstance(Asn1Object.FromByteArray(value)).GetBytes();
            }
            catch (Exception ex) when (ParseFailure.IsExpected(ex))
            {
                return null;
            }
        }

        var serial = new Org.BouncyCastle.Math.BigInteger(1, der, serialStart, serialEnd - serialStart).ToString(16);
        return new X509Facts.Fields(subjectDer, issuerDer, serial, der, notBefore, notAfter,
            oid => extensions.Find(e => e.Oid == oid).Value,
            extensions.Exists(e => e.Critical && e.Oid == TlsFeature.Oid))
        {
            IsCa = isCa,
        };
    }

    /// <summary>
    /// The OCSP and caIssuers URIs of an authorityInfoAccess value whose every location is an ASCII URI; false (leave it
    /// to BouncyCastle) for anything else.
    /// </summary>
    public static bool TryReadAia(byte[] value, string ocspMethod, string caIssuersMethod, out List<string> ocsp, out List<string> caIssuers)
    {
        ocsp = [];
        caIssuers = [];
        var r = new Reader(value, 0, value.Length);
        if (!r.Next(0x30, out var start, out var end) || !r.AtEnd || start == end) return false;
        var list = new Reader(value, start, end);
        while (!list.AtEnd)
        {
            if (!list.Next(0x30, out var adStart, out var adEnd)) return false;
            var ad = new Reader(value, adStart, adEnd);
            if (!ad.Next(0x06, out var oidStart, out var oidEnd) || OidText(value, oidStart, oidEnd) is not { } method) return false;
            if (!ad.Next(0x86, out var uriStart, out var uriEnd) || !ad.AtEnd) return false;
            for (var i = uriStart; i < uriEnd; i++)
                if (value[i] >= 0x80) return false;
            var uri = System.Text.Encoding.ASCII.GetString(value, uriStart, uriEnd - uriStart);
            if (method == ocspMethod) ocsp.Add(uri);
            else if (method == caIssuersMethod) caIssuers.Add(uri);
        }
        return true;
    }

    /// <summary>The key identifier of a subjectKeyIdentifier value that is exactly one OCTET STRING; false otherwise.</summary>
    public static bool TryReadSubjectKeyId(byte[] value, out byte[] keyId)
    {
        keyId = [];
        var r = new Reader(value, 0, value.Length);
        if (!r.Next(0x04, out var start, out var end) || !r.AtEnd) return false;
        keyId = Slice(value, start, end);
        return true;
    }

    /// <summary>
    /// The keyIdentifier (null when absent) of an authorityKeyIdentifier value of { [0] keyIdentifier, [1] directory names,
    /// [2] serial }, each optional, in that order; false (leave it to BouncyCastle) for anything else.
    /// </summary>
    public static bool TryReadAuthorityKeyId(byte[] value, out byte[]? keyId)
    {
        keyId = null;
        var r = new Reader(value, 0, value.Length);
        if (!r.Next(0x30, out var start, out var end) || !r.AtEnd) return false;
        var inner = new Reader(value, start, end);
        if (inner.Peek == 0x80)
        {
            inner.Next(0x80, out var idStart, out var idEnd);
            keyId = Slice(value, idStart, idEnd);
        }
        if (inner.Peek == 0xA1)
        {
            // GeneralNames of directory names only, each a Name this reader takes
            if (!inner.Next(0xA1, out var namesStart, out var namesEnd) || namesStart == namesEnd) return false;
            var names = new Reader(value, namesStart, namesEnd);
            while (!names.AtEnd)
            {
                if (!names.Next(0xA4, out var dnStart, out var dnEnd) || !Valid(value, dnStart, dnEnd, 0, out var count) || count != 1) return false;
                var dn = new Reader(value, dnStart, dnEnd);
                if (!dn.Next(0x30, out var nameStart, out var nameEnd) || !IsName(value, nameStart, nameEnd)) return false;
            }
        }
        if (inner.Peek == 0x82)
        {
            if (!inner.Next(0x82, out var serialStart, out var serialEnd)) return false;
            if (!IsMinimalInteger(value, serialStart, serialEnd)) return false;
        }
        return inner.AtEnd;
    }

    // Name ::= SEQUENCE OF SET SIZE (1) OF SEQUENCE { OID, string }: a multi-valued RDN, an empty name or a value of a
    // type BouncyCastle prints as hex is left to it.
    private static bool IsName(byte[] der, int start, int end)
    {
        if (start == end) return false;
        var rdns = new Reader(der, start, end);
        while (!rdns.AtEnd)
        {
            if (!rdns.Next(0x31, out var setStart, out var setEnd)) return false;
            var set = new Reader(der, setStart, setEnd);
            if (!set.Next(0x30, out var atvStart, out var atvEnd) || !set.AtEnd) return false;
            var atv = new Reader(der, atvStart, atvEnd);
            if (!atv.Next(0x06, out var oidStart, out var oidEnd) || !IsOid(der, oidStart, oidEnd)) return false;
            if (atv.AtEnd || !IsNameString(atv.Peek) || !atv.Next(atv.Peek, out _, out _) || !atv.AtEnd) return false;
        }
        return true;
    }

    private static bool IsNameString(int tag) => tag is 0x0C or 0x13 or 0x14 or 0x16 or 0x1E;

    // AlgorithmIdentifier ::= SEQUENCE { OID, parameters ANY OPTIONAL }
    private static bool IsAlgorithm(byte[] der, int start, int end)
    {
        var r = new Reader(der, start, end);
        if (!r.Next(0x06, out var oidStart, out var oidEnd) || !IsOid(der, oidStart, oidEnd)) return false;
        if (!r.AtEnd && !r.Next(r.Peek, out _, out _)) return false;
        return r.AtEnd;
    }

    private static bool ReadTime(byte[] der, ref Reader r, out DateTime time)
    {
        time = default;
        var tag = r.Peek;
        if (tag is not (0x17 or 0x18) || !r.Next(tag, out var start, out var end)) return false;
        var digits = tag == 0x17 ? 12 : 14;
        if (end - start != digits + 1 || der[end - 1] != (byte)'Z') return false;
        for (var i = start; i < end - 1; i++)
            if (der[i] is < (byte)'0' or > (byte)'9') return false;
        int Two(int at) => (der[at] - '0') * 10 + der[at + 1] - '0';
        int year, p;
        if (tag == 0x17)
        {
            year = Two(start);
            year += year < 50 ? 2000 : 1900; // RFC 5280 4.1.2.5.1, as BouncyCastle and .NET read it
            p = start + 2;
        }
        else
        {
            year = Two(start) * 100 + Two(start + 2);
            p = start + 4;
        }
        int month = Two(p), day = Two(p + 2), hour = Two(p + 4), minute = Two(p + 6), second = Two(p + 8);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        time = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    // Minimal base-128 arcs of at most 8 bytes (56 bits) each, the last one complete: what OidText can print.
    private static bool IsOid(byte[] der, int start, int end)
    {
        if (start == end) return false;
        var bytesInArc = 0;
        for (var i = start; i < end; i++)
        {
            if (bytesInArc == 0 && der[i] == 0x80) return false;
            if (++bytesInArc > 8) return false;
            if ((der[i] & 0x80) == 0) bytesInArc = 0;
        }
        return bytesInArc == 0;
    }

    // Dotted text of an OID whose every arc fits in 56 bits (longer arcs are left to BouncyCastle's big-integer path).
    private static string? OidText(byte[] der, int start, int end)
    {
        if (start == end) return null;
        var sb = new System.Text.StringBuilder(32);
        ulong value = 0;
        var bytesInArc = 0;
        var first = true;
        for (var i = start; i < end; i++)
        {
            var b = der[i];
            if (bytesInArc == 0 && b == 0x80) return null; // not minimal
            if (++bytesInArc > 8) return null;
            value = (value << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) != 0) continue;
            if (first)
            {
                var top = value < 40 ? 0UL : value < 80 ? 1UL : 2UL;
                sb.Append(top).Append('.').Append(value - top * 40);
                first = false;
            }
            else
            {
                sb.Append('.').Append(value);
            }
            value = 0;
            bytesInArc = 0;
        }
        return bytesInArc == 0 ? sb.ToString() : null;
    }

    private static byte[] Slice(byte[] der, int start, int end)
    {
        var copy = new byte[end - start];
        Buffer.BlockCopy(der, start, copy, 0, copy.Length);
        return copy;
    }

    // An INTEGER's contents as BouncyCastle requires them: not empty, no redundant leading 0x00 or 0xFF byte.
    private static bool IsMinimalInteger(byte[] der, int start, int end) =>
        end > start && (end - start == 1 || !((der[start] == 0x00 && (der[start + 1] & 0x80) == 0) || (der[start] == 0xFF && (der[start + 1] & 0x80) != 0)));

    // True when [start, end) is a run of elements each of a kind BouncyCastle parses the same way, with definite minimal
    // lengths; counts the top-level elements.
    private static bool Valid(byte[] der, int start, int end, int depth, out int count)
    {
        count = 0;
        if (depth > MaxDepth) return false;
        var r = new Reader(der, start, end);
        while (!r.AtEnd)
        {
            var tag = r.Peek;
            if (!r.Next(tag, out var s, out var e)) return false;
            count++;
            var length = e - s;
            switch (tag)
            {
                case 0x30 or 0x31 or 0xA0 or 0xA1 or 0xA2 or 0xA3:
                    if (!Valid(der, s, e, depth + 1, out _)) return false;
                    break;
                case 0x01: // BOOLEAN
                    if (length != 1) return false;
                    break;
                case 0x02:
                    if (!IsMinimalInteger(der, s, e)) return false;
                    break;
                case 0x03: // BIT STRING: no unused bits (keys and signatures have none)
                    if (length == 0 || der[s] != 0) return false;
                    break;
                case 0x05: // NULL
                    if (length != 0) return false;
                    break;
                case 0x06:
                    if (!IsOid(der, s, e)) return false;
                    break;
                case 0x1E: // BMPString
                    if (length % 2 != 0) return false;
                    break;
                case 0x0C: // UTF8String: BouncyCastle (and .NET) refuse one that is not UTF-8
                    try
                    {
                        StrictUtf8.GetCharCount(der, s, length);
                    }
                    catch (ArgumentException)
                    {
                        return false;
                    }
                    break;
                case 0x04 or 0x13 or 0x14 or 0x16 or 0x17 or 0x18:
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private struct Reader(byte[] data, int pos, int end)
    {
        public int Pos = pos;

        public readonly bool AtEnd => Pos >= end;

        public readonly int Peek => Pos < end ? data[Pos] : -1;

        // The next element, if it has tag <paramref name="tag"/> and a definite minimal length inside the range.
        public bool Next(int tag, out int contentStart, out int contentEnd)
        {
            contentStart = contentEnd = 0;
            if (Pos + 2 > end || data[Pos] != tag) return false;
            var p = Pos + 1;
            int length = data[p++];
            if (length >= 0x80)
            {
                var n = length & 0x7F;
                if (n is 0 or > 3 || p + n > end || data[p] == 0) return false;
                length = 0;
                for (var i = 0; i < n; i++) length = (length << 8) | data[p++];
                if (length < 0x80) return false;
            }
            if (length > end - p) return false;
            contentStart = p;
            contentEnd = p + length;
            Pos = contentEnd;
            return true;
        }
    }
}
