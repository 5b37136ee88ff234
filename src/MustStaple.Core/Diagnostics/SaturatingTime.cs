namespace MustStaple.Diagnostics;

/// <summary>
/// Date arithmetic on values read from files (a certificate's notAfter of 9999-12-31T23:59:59Z, a staple's nextUpdate
/// of year 1): the result stops at <see cref="DateTimeOffset.MinValue"/> or <see cref="DateTimeOffset.MaxValue"/>
/// instead of throwing, so a hostile date can never end the run.
/// </summary>
public static class SaturatingTime
{
    /// <summary><paramref name="t"/> plus <paramref name="span"/>, clamped to the representable range.</summary>
    public static DateTimeOffset Add(DateTimeOffset t, TimeSpan span)
    {
        var max = DateTimeOffset.MaxValue.UtcTicks - t.UtcTicks;
        var min = DateTimeOffset.MinValue.UtcTicks - t.UtcTicks;
        if (span.Ticks > max) return DateTimeOffset.MaxValue;
        if (span.Ticks < min) return DateTimeOffset.MinValue;
        return t.Add(span);
    }

    /// <summary><paramref name="t"/> minus <paramref name="span"/>, clamped to the representable range.</summary>
    public static DateTimeOffset Subtract(DateTimeOffset t, TimeSpan span) =>
        span.Ticks == long.MinValue ? DateTimeOffset.MaxValue : Add(t, TimeSpan.FromTicks(-span.Ticks));
}
