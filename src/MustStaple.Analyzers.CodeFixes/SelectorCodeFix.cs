using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MustStaple.Analyzers;

/// <summary>
/// MST3007: a <c>ServerCertificateSelector</c> that returns the same certificate for every connection becomes
/// <c>ServerCertificate = that certificate</c>, which Kestrel serves through a context created once (it staples).
/// Offered only when the lambda's result does not depend on its parameters: then the change is mechanical.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SelectorCodeFix)), Shared]
public sealed class SelectorCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.SelectorNeverStaples.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not AssignmentExpressionSyntax
            {
                Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ServerCertificateSelector" } target,
                Right: LambdaExpressionSyntax { ExpressionBody: { } result } lambda,
            } assignment) return;
        var parameters = lambda switch
        {
            SimpleLambdaExpressionSyntax s => new[] { s.Parameter.Identifier.ValueText },
            ParenthesizedLambdaExpressionSyntax p => p.ParameterList.Parameters.Select(x => x.Identifier.ValueText).ToArray(),
            _ => [],
        };
        if (result.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => parameters.Contains(i.Identifier.ValueText))) return;

        var replacement = assignment
            .WithLeft(target.WithName(SyntaxFactory.IdentifierName("ServerCertificate")))
            .WithRight(result.WithoutTrivia().WithTriviaFrom(lambda));
        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(CodeAction.Create(
                CodeFixResources.Get("Fix_ServerCertificateInsteadOfSelector"),
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(assignment, replacement))),
                equivalenceKey: nameof(SelectorCodeFix)), diagnostic);
        }
    }
}
