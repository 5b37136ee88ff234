using MustStaple.Diagnostics;

namespace MustStaple.Rules;

/// <summary>One check. Stateless; owns exactly one descriptor.</summary>
public interface IRule
{
    /// <summary>What the rule reports.</summary>
    DiagnosticDescriptor Rule { get; }

    /// <summary>Every finding of this rule in <paramref name="context"/>, at the default severity.</summary>
    IEnumerable<Diagnostic> Evaluate(LintContext context);
}
