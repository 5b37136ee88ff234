using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MustStaple.Analyzers;

/// <summary>A certificate in code: a project file (relative, '/'), or why it cannot be known.</summary>
internal sealed class CertRef
{
    private CertRef(string? path, Phrase? unknown)
    {
        Path = path;
        Unknown = unknown;
    }

    public string? Path { get; }

    /// <summary>Why the certificate cannot be known here (a store, a path outside the project, an unresolved expression), worded late.</summary>
    public Phrase? Unknown { get; }

    public static CertRef File(string path) => new(path, null);

    /// <summary>A certificate that cannot be known; <paramref name="why"/> names an <c>Unknown_*</c> resource.</summary>
    public static CertRef Unresolved(string why) => new(null, new Phrase(why));
}

/// <summary>
/// Resolves values in code from symbols: constant paths (literals, <c>const</c>, <c>Path.Combine</c>, concatenation and
/// interpolation of constants, <c>AppContext.BaseDirectory</c> and content-root joins) and the certificate an
/// expression loads. Locals and fields are followed to their initializer (a later reassignment is not seen).
/// </summary>
internal static class Values
{
    // Stands for the content root (AppContext.BaseDirectory, ContentRootPath, the current directory).
    private const string Root = "\u0001/";
    private const int MaxDepth = 8;

    private static readonly HashSet<string> LoadMethods = new(StringComparer.Ordinal)
    {
        "CreateFromPemFile", "CreateFromEncryptedPemFile", "LoadPkcs12FromFile", "LoadCertificateFromFile", "CreateFromCertFile", "CreateFromSignedFile",
    };

    /// <summary>The certificate <paramref name="op"/> evaluates to.</summary>
    public static CertRef Certificate(IOperation? op, CodeFacts? facts, int depth = 0)
    {
        op = Unwrap(op);
        if (op is null || depth > MaxDepth) return CertRef.Unresolved("Unknown_Expression");
        if (op.DescendantsAndSelf().Any(o => o.Type?.Name == "X509Store"))
            return CertRef.Unresolved("Unknown_Store");
        switch (op)
        {
            case IObjectCreationOperation create when IsCertificateType(create.Type) && create.Arguments.Length > 0:
                return create.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String
                    ? FromPath(PathOf(create.Arguments[0].Value, facts))
                    : CertRef.Unresolved("Unknown_Bytes");
            case IInvocationOperation pem when pem.TargetMethod.Name is "CreateFromPem" or "CreateFromEncryptedPem"
                && pem.TargetMethod.ContainingType.Name == "X509Certificate2" && pem.Arguments.Length > 0:
                // §2.7.9: CreateFromPem(File.ReadAllText(chain), key) keeps only the first certificate, like CreateFromPemFile.
                return TextFile(pem.Arguments[0].Value, facts) is { } read ? FromPath(read) : CertRef.Unresolved("Unknown_PemText");
            case IInvocationOperation call when LoadMethods.Contains(call.TargetMethod.Name) && call.Arguments.Length > 0
                && call.TargetMethod.ContainingType.Name is "X509Certificate2" or "X509CertificateLoader" or "X509Certificate":
                return call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { } path
                    ? FromPath(PathOf(path.Value, facts))
                    : CertRef.Unresolved("Unknown_Expression");
            default:
                return Initializer(op) is { } init ? Certificate(init, facts, depth + 1) : CertRef.Unresolved("Unknown_Expression");
        }
    }

    /// <summary>The PEM files imported into the collection <paramref name="op"/> denotes (<c>ImportFromPemFile</c>); null when unknown.</summary>
    public static IReadOnlyList<string>? ChainFiles(IOperation? op, CodeFacts? facts)
    {
        op = Unwrap(op);
        var symbol = op switch
        {
            ILocalReferenceOperation l => (ISymbol)l.Local,
            IFieldReferenceOperation f => f.Field,
            _ => null,
        };
        if (symbol is null || op!.SemanticModel is not { } model) return null;
        var files = new List<string>();
        foreach (var call in model.SyntaxTree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (call.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ImportFromPemFile" or "ImportFromPem" } access) continue;
            if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(access.Expression).Symbol, symbol)) continue;
            if (model.GetOperation(call) is not IInvocationOperation import || import.Arguments.Length == 0) return null;
            var file = import.TargetMethod.Name == "ImportFromPem" ? TextFile(import.Arguments[0].Value, facts) : PathOf(import.Arguments[0].Value, facts);
            if (Normalize(file) is not { } path) return null;
            files.Add(path);
        }
        return files.Count == 0 ? null : files;
    }

    /// <summary>A constant path with <see cref="Root"/> for the content root; null when not constant.</summary>
    public static string? PathOf(IOperation? op, CodeFacts? facts, int depth = 0)
    {
        op = Unwrap(op);
        if (op is null || depth > MaxDepth) return null;
        if (op.ConstantValue.HasValue) return op.ConstantValue.Value as string;
        switch (op)
        {
            case IPropertyReferenceOperation p when p.Property.Name is "BaseDirectory" && p.Property.ContainingType.Name == "AppContext":
            case IPropertyReferenceOperation q when q.Property.Name is "ContentRootPath":
            case IInvocationOperation d when d.TargetMethod.Name == "GetCurrentDirectory" && d.TargetMethod.ContainingType.Name == "Directory":
                return Root;
            case IPropertyReferenceOperation { Property.IsIndexer: true } config when config.Arguments.Length == 1
                && config.Arguments[0].Value.ConstantValue.Value is string key && IsConfiguration(config.Property.ContainingType):
                // builder.Configuration["Kestrel:…:Path"], ["CertPath"], GetSection("Tls")["Path"]: the value of the effective
                // configuration (§2.7.11), relative to the content root.
                return Configured(SectionOf(config.Instance) is { } section ? section + key : null, facts);
            case IInvocationOperation { TargetMethod.Name: "GetValue" } getValue when getValue.TargetMethod.ContainingType.Name == "ConfigurationBinder"
                && getValue.TargetMethod.TypeArguments is [{ SpecialType: SpecialType.System_String }] && getValue.Arguments.Length >= 2
                && getValue.Arguments[1].Value.ConstantValue.Value is string valueKey:
                // builder.Configuration.GetValue<string>("CertPath")
                return Configured(SectionOf(getValue.Arguments[0].Value) is { } prefix ? prefix + valueKey : null, facts);
            case IInvocationOperation c when c.TargetMethod.Name == "Combine" && c.TargetMethod.ContainingType.Name == "Path":
                var parts = new List<string>();
                foreach (var a in c.Arguments)
                {
                    var values = Unwrap(a.Value) is IArrayCreationOperation { Initializer: { } elements } ? elements.ElementValues.ToList() : new List<IOperation> { a.Value };
                    foreach (var v in values)
                    {
                        if (PathOf(v, facts, depth + 1) is not { } part) return null;
                        if (IsRooted(part)) parts.Clear(); // Path.Combine restarts at a rooted part
                        parts.Add(part);
                    }
                }
                return string.Join("/", parts);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } b:
                return PathOf(b.LeftOperand, facts, depth + 1) is { } l && PathOf(b.RightOperand, facts, depth + 1) is { } r ? l + r : null;
            case IInterpolatedStringOperation s:
                var text = "";
                foreach (var part in s.Parts)
                {
                    var value = part switch
                    {
                        IInterpolatedStringTextOperation t => t.Text.ConstantValue.Value as string,
                        IInterpolationOperation i when i.Alignment is null && i.FormatString is null => PathOf(i.Expression, facts, depth + 1),
                        _ => null,
                    };
                    if (value is null) return null;
                    text += value;
                }
                return text;
            default:
                return Initializer(op) is { } init ? PathOf(init, facts, depth + 1) : null;
        }
    }

    private static string? Configured(string? key, CodeFacts? facts) =>
        key is null || facts?.ConfigValue(key) is not { } configured ? null : IsRooted(configured) ? configured : Root + configured;

    // The key prefix of a configuration object: "" for the root (builder.Configuration, an IConfiguration), "A:B:" for
    // GetSection("A").GetSection("B"); null when the section is not a constant.
    private static string? SectionOf(IOperation? op, int depth = 0)
    {
        op = Unwrap(op);
        if (op is null || depth > MaxDepth) return null;
        if (op is IInvocationOperation { TargetMethod.Name: "GetSection" } get && get.Arguments.Length == 1 && IsConfiguration(get.TargetMethod.ContainingType))
            return get.Arguments[0].Value.ConstantValue.Value is string name && SectionOf(get.Instance, depth + 1) is { } parent ? parent + name + ":" : null;
        if (op.Type is { } type && IsConfiguration(type) && type.Name != "IConfigurationSection") return "";
        return Initializer(op) is { } init ? SectionOf(init, depth + 1) : null;
    }

    // The file a string of PEM text was read from: File.ReadAllText(path), directly or through a local's initializer.
    private static string? TextFile(IOperation? op, CodeFacts? facts, int depth = 0)
    {
        op = Unwrap(op);
        if (op is null || depth > MaxDepth) return null;
        if (op is IInvocationOperation { TargetMethod.Name: "ReadAllText" } read && read.TargetMethod.ContainingType.Name == "File" && read.Arguments.Length > 0)
            return PathOf(read.Arguments[0].Value, facts);
        return Initializer(op) is { } init ? TextFile(init, facts, depth + 1) : null;
    }

    /// <summary>A path relative to the content root with '/' separators; null when it is not inside it.</summary>
    public static string? Normalize(string? path)
    {
        if (path is null) return null;
        var p = path.Replace('\\', '/');
        if (p.StartsWith(Root, StringComparison.Ordinal)) p = p.Substring(Root.Length);
        else if (IsRooted(p)) return null;
        var stack = new List<string>();
        foreach (var segment in p.Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                if (stack.Count == 0) return null;
                stack.RemoveAt(stack.Count - 1);
                continue;
            }
            stack.Add(segment);
        }
        return stack.Count == 0 ? null : string.Join("/", stack);
    }

    private static bool IsRooted(string p) =>
        p.StartsWith(Root, StringComparison.Ordinal) || p.StartsWith("/", StringComparison.Ordinal) || p.StartsWith("\\", StringComparison.Ordinal)
        || (p.Length >= 2 && p[1] == ':' && char.IsLetter(p[0]));

    private static CertRef FromPath(string? raw)
    {
        if (raw is null) return CertRef.Unresolved("Unknown_NotConstant");
        return Normalize(raw) is { } rel ? CertRef.File(rel) : CertRef.Unresolved("Unknown_Outside");
    }

    private static bool IsConfiguration(ITypeSymbol type) =>
        type.Name is "IConfiguration" or "IConfigurationRoot" or "IConfigurationManager" or "ConfigurationManager" or "IConfigurationSection";

    private static bool IsCertificateType(ITypeSymbol? t) => t?.Name is "X509Certificate2" or "X509Certificate";

    private static IOperation? Unwrap(IOperation? op)
    {
        while (true)
        {
            switch (op)
            {
                case IConversionOperation c: op = c.Operand; continue;
                case IParenthesizedOperation p: op = p.Operand; continue;
                default: return op;
            }
        }
    }

    // The initializer of a local, field or property in the same file (followed once per reference).
    private static IOperation? Initializer(IOperation op)
    {
        var symbol = op switch
        {
            ILocalReferenceOperation l => (ISymbol)l.Local,
            IFieldReferenceOperation f => f.Field,
            IPropertyReferenceOperation p when p.Property.Parameters.Length == 0 => p.Property,
            _ => null,
        };
        if (symbol is null || op.SemanticModel is not { } model) return null;
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != model.SyntaxTree) continue;
            var value = reference.GetSyntax() switch
            {
                VariableDeclaratorSyntax v => v.Initializer?.Value,
                PropertyDeclarationSyntax p => p.Initializer?.Value ?? p.ExpressionBody?.Expression,
                _ => null,
            };
            if (value is not null) return model.GetOperation(value);
        }
        return null;
    }
}
