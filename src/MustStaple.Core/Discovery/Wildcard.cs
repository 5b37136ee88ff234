namespace MustStaple.Discovery;

/// <summary>
/// One path segment against a glob, as Dockerfile COPY (Go's filepath.Match) and the servers' include globs (glob(3))
/// match it: '*' any run of characters, '?' one character; a class <c>[…]</c> is read as one character.
/// </summary>
public static class Wildcard
{
    /// <summary>True when <paramref name="name"/> (one path segment) matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string name, string pattern)
    {
        int n = 0, p = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '[')
            {
                var close = pattern.IndexOf(']', p);
                if (close > p) { p = close + 1; n++; continue; }
            }
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n])) { p++; n++; }
            else if (p < pattern.Length && pattern[p] == '*') { starP = p++; starN = n; }
            else if (starP >= 0) { p = starP + 1; n = ++starN; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
