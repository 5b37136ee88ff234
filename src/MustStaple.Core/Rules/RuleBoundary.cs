using MustStaple.Certificates;
using MustStaple.Diagnostics;
using MustStaple.Discovery;

namespace MustStaple.Rules;

/// <summary>
/// The fault boundary of the judging stage: a rule that throws on one input (a certificate file, a deployment, a server
/// configuration) is evaluated again without it; that input gets one <c>MST0001</c> and every other finding stays.
/// Costs nothing unless a rule throws.
/// </summary>
internal static class RuleBoundary
{
    /// <summary>Every finding of <paramref name="rule"/> in <paramref name="context"/>; whatever it throws on an input is one MST0001 on that input.</summary>
    public static IReadOnlyList<Diagnostic> Evaluate(IRule rule, LintContext context)
    {
        if (TryEvaluate(rule, context) is { } all) return all;
        // Each input alone: the ones the rule cannot judge even alone are the culprits; the rest are judged together.
        var files = context.CertificateFiles.Where(f => TryEvaluate(rule, With(context, [f], [], [])) is null).ToList();
        var deployments = context.Deployments.Where(d => TryEvaluate(rule, With(context, [], [d], [])) is null).ToList();
        var servers = context.Servers.Where(s => TryEvaluate(rule, With(context, [], [], [s])) is null).ToList();
        var rest = With(context, context.CertificateFiles.Except(files).ToList(), context.Deployments.Except(deployments).ToList(), context.Servers.Except(servers).ToList());
        var judged = TryEvaluate(rule, rest);
        var findings = judged ?? [];
        var culprits = files.Select(f => f.Path).Concat(deployments.Select(d => d.ContentRoot)).Concat(servers.Select(s => s.ConfigFile)).ToList();
        if (culprits.Count == 0 || judged is null) culprits.Add(context.SourceRoot); // no single input to blame
        findings.AddRange(culprits.Distinct(StringComparer.Ordinal).Select(path => Diagnostic.Create(UnreadableInput.Descriptor, SourceLocation.StartOf(path),
            $"'{Path.GetFileName(path)}' could not be judged by {rule.Rule.Id}: the rule stopped on an unexpected value in it, so that check was not made for it")));
        return findings;
    }

    private static List<Diagnostic>? TryEvaluate(IRule rule, LintContext context)
    {
        try
        {
            return rule.Evaluate(context).ToList();
        }
#pragma warning disable CA1031 // the boundary exists to catch whatever a rule throws on hostile values
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static LintContext With(LintContext c, IReadOnlyList<CertificateFile> files, IReadOnlyList<Kestrel.Deployment> deployments,
        IReadOnlyList<Servers.ServerDeployment> servers) =>
        new(c.Now, files, c.RetiredResponders, deployments, c.SourceRoot, c.PublishedFiles, c.InputProblems, servers);
}
