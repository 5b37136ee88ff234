using MustStaple.Discovery;

namespace MustStaple.Certificates;

/// <summary>
/// How deep the ASN.1 of untrusted bytes nests, measured without recursion before any recursive parser (BouncyCastle's
/// Asn1InputStream) sees them: constructed encodings (definite or indefinite length), and OCTET or BIT STRINGs whose
/// content is itself DER (extension values, PKCS#12 safe contents). A file nested past the run's depth limit is one
/// MST0001, never a stack overflow.
/// </summary>
internal static class DerNesting
{
    /// <summary>Throws <see cref="WorkLimitException"/> when <paramref name="der"/> nests deeper than the budget's depth limit.</summary>
    public static void Check(string path, byte[] der, WorkBudget? budget)
    {
        budget ??= new WorkBudget();
        var depth = Depth(der, budget.Limits.MaxDepth);
        if (depth > budget.Limits.MaxDepth) budget.Depth(path, depth);
    }

    /// <summary>The deepest nesting of <paramref name="der"/>, counted up to <paramref name="limit"/> + 1; scanning stops at the first malformed header.</summary>
    public static int Depth(byte[] der, int limit)
    {
        const int Indefinite = int.MaxValue;
        var ends = new int[limit + 2];
        int depth = 0, deepest = 0, pos = 0;
        while (pos < der.Length)
        {
            while (depth > 0 && ends[depth - 1] != Indefinite && pos >= ends[depth - 1]) depth--;
            var start = pos;
            var tag = der[pos++];
            if ((tag & 0x1F) == 0x1F)
            {
                var n = 0;
                while (pos < der.Length && (der[pos] & 0x80) != 0 && n++ < 4) pos++;
                pos++;
            }
            if (pos >= der.Length) break;
            var first = der[pos++];
            long length;
            if (first == 0x80) length = -1;
            else if ((first & 0x80) == 0) length = first;
            else
            {
                var count = first & 0x7F;
                if (count > 4 || pos + count > der.Length) break;
                length = 0;
                for (var i = 0; i < count; i++) length = (length << 8) | der[pos++];
            }
            if (tag == 0 && first == 0)
            {
                if (depth > 0 && ends[depth - 1] == Indefinite) depth--; // end-of-contents
                continue;
            }
            var outer = depth > 0 && ends[depth - 1] != Indefinite ? ends[depth - 1] : der.Length;
            if (length > outer - pos) break; // longer than what holds it: malformed, the parser will say so
            if ((tag & 0x20) != 0)
            {
                ends[depth++] = length < 0 ? Indefinite : pos + (int)length;
                if (depth > deepest) deepest = depth;
                if (deepest > limit) return deepest;
                continue;
            }
            if (length < 0) break;
            // A primitive string whose content starts like a constructed encoding is read as nested DER.
            var content = pos + (tag == 0x03 ? 1 : 0);
            if ((tag == 0x04 || tag == 0x03) && length > 2 && content < pos + length && (der[content] & 0x20) != 0 && der[content] is 0x30 or 0x31 or >= 0xA0)
            {
                ends[depth++] = pos + (int)length;
                if (depth > deepest) deepest = depth;
                if (deepest > limit) return deepest;
                pos = content;
                continue;
            }
            pos += (int)length;
            if (pos <= start) break;
        }
        return deepest;
    }
}
