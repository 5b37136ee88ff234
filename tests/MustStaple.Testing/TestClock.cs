namespace MustStaple.Testing;

/// <summary>The fixed instant every test certificate is built around; nothing in the suite depends on today's date.</summary>
public static class TestClock
{
    /// <summary>2026-01-15T00:00:00Z.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Start of validity of test certificates.</summary>
    public static readonly DateTimeOffset NotBefore = Now.AddDays(-30);

    /// <summary>
    /// End of validity of test certificates: a century ahead, so the end-to-end tests that make real TLS handshakes and
    /// OCSP requests at today's date keep passing for as long as anyone runs them.
    /// </summary>
    public static readonly DateTimeOffset NotAfter = Now.AddYears(100);

    /// <summary>The value for --now / MustStapleNow.</summary>
    public const string NowText = "2026-01-15T00:00:00Z";
}
