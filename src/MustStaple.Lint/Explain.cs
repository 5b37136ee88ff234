using MustStaple.Sarif;

namespace MustStaple.Lint;

/// <summary>
/// <c>dotnet muststaple-lint explain MST3001</c>: prints the rule's page (docs/rules/MST3001.md, embedded in Core by
/// glob, so a new rule's page is there as soon as the file exists; under <c>--lang ja</c> docs/rules/ja/MST3001.md when it
/// exists). <c>explain</c> alone lists the IDs.
/// </summary>
internal static class Explain
{
    public static int Run(string[] ids, TextWriter output)
    {
        if (ids.Length == 0 || ids.Any(a => a is "--help" or "-h" or "-?"))
        {
            output.WriteLine(CliText.Get("Explain.Usage"));
            output.WriteLine(CliText.Get("Explain.Rules", string.Join(" ", RuleDocs.Ids)));
            return ids.Length == 0 ? 2 : 0;
        }
        var pages = new List<string>();
        foreach (var id in ids.Select(i => i.Trim().ToUpperInvariant()))
        {
            if (RuleDocs.Markdown(id, System.Globalization.CultureInfo.CurrentUICulture) is not { } page)
            {
                Console.Error.WriteLine(CliText.Get("Explain.NoRule", Diagnostics.SafeText.Escape(id), string.Join(" ", RuleDocs.Ids)));
                return 2;
            }
            pages.Add(page.TrimEnd('\n'));
        }
        output.WriteLine(string.Join("\n\n---\n\n", pages));
        return 0;
    }
}
