using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MustStaple.Analyzers;

/// <summary>MST3009: <c>offline: true</c> → <c>offline: false</c>, so the context fetches OCSP and Kestrel staples.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OfflineContextCodeFix)), Shared]
public sealed class OfflineContextCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Descriptors.OfflineContextNeverStaples.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not ExpressionSyntax offline) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(CodeAction.Create(
                CodeFixResources.Get("Fix_OfflineFalse"),
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(offline,
                    SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression).WithTriviaFrom(offline)))),
                equivalenceKey: nameof(OfflineContextCodeFix)), diagnostic);
        }
    }
}
