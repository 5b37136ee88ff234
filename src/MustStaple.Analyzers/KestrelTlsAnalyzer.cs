using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace MustStaple.Analyzers;

/// <summary>
/// Kestrel TLS configured in C# (issue 13): finds where a certificate reaches Kestrel — <c>UseHttps</c>,
/// <c>ServerCertificate</c>(+<c>ServerCertificateChain</c>), selectors, TLS callbacks, <c>OnAuthenticate</c>,
/// <c>SslStreamCertificateContext.Create(…, offline)</c> — resolves the certificate to a project file, and reports
/// with the verdicts Core wrote to the facts file (docs/evidence/kestrel.md#code). Silent without facts
/// or when the project has no must-staple certificate a server could staple.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class KestrelTlsAnalyzer : DiagnosticAnalyzer
{
    internal const string StaplingSwitch = "System.Net.Security.EnableServerOcspStaplingFromOnlyCertificateOnLinux";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Descriptors.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var facts = CodeFacts.From(start.Options.AdditionalFiles, start.CancellationToken);
            if (facts is null || !facts.AnyStapleable) return; // an app with no must-staple certificate sees nothing
            start.RegisterOperationAction(c => Invocation(c, facts), OperationKind.Invocation);
            start.RegisterOperationAction(c => Assignment(c, facts), OperationKind.SimpleAssignment);
        });
    }

    private static void Invocation(OperationAnalysisContext c, CodeFacts facts)
    {
        var call = (IInvocationOperation)c.Operation;
        var method = call.TargetMethod;
        switch (method.Name)
        {
            case "UseHttps" when method.ContainingType.Name == "ListenOptionsHttpsExtensions":
                if (Argument(call, "fileName") is { } file)
                {
                    var cert = Values.Normalize(Values.PathOf(file, facts)) is { } rel ? CertRef.File(rel) : CertRef.Unresolved("Unknown_NotConstantInProject");
                    Served(c, facts, cert, call.Syntax.GetLocation(), "UseHttps(path)", chain: null, chainSet: false, pfxByPath: true);
                }
                else if (Argument(call, "serverCertificate") is { } certificate)
                {
                    Served(c, facts, Values.Certificate(certificate, facts), call.Syntax.GetLocation(), "UseHttps(certificate)", chain: null, chainSet: false, pfxByPath: false);
                }
                break;
            case "Create" when method.ContainingType.Name == "SslStreamCertificateContext":
                if (Argument(call, "offline") is { ConstantValue: { HasValue: true, Value: true } } offline && Argument(call, "target") is { } target)
                    Bad(c, facts, Values.Certificate(target, facts), offline.Syntax.GetLocation(), Descriptors.OfflineContextNeverStaples, "", "SslStreamCertificateContext.Create(…, offline: true)");
                else if (Argument(call, "target") is { } online && PerHandshakeCallback(call) is { } callback)
                    Bad(c, facts, Values.Certificate(online, facts), call.Syntax.GetLocation(), Descriptors.PerHandshakeContextNeverStaples,
                        new Phrase("Created_Inside", callback), new Phrase("How_CreateInside", callback));
                break;
            case "SetSwitch" when method.ContainingType.Name == "AppContext":
                if (call.Arguments.Length == 2 && call.Arguments[0].Value.ConstantValue.Value as string == StaplingSwitch
                    && call.Arguments[1].Value.ConstantValue is { HasValue: true, Value: true })
                    c.ReportDiagnostic(Diagnostic.Create(Descriptors.StaplingSwitchDoesNotHelp, call.Syntax.GetLocation()));
                break;
        }
    }

    private static void Assignment(OperationAnalysisContext c, CodeFacts facts)
    {
        var assignment = (ISimpleAssignmentOperation)c.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: var property }) return;
        var location = assignment.Syntax.GetLocation();
        switch (property.ContainingType.Name, property.Name)
        {
            case ("HttpsConnectionAdapterOptions", "ServerCertificate"):
                var chain = Sibling(assignment, "ServerCertificateChain");
                if (chain is null && ConfiguredEndpoint(assignment) is { } endpoint)
                {
                    // §2.7.10: Configure(section).Endpoint(name, e => e.HttpsOptions.ServerCertificate = x) keeps the chain
                    // the configuration loaded for that endpoint (its Certificate, else Certificates:Default; a PEM's
                    // certificates, nothing for a PFX).
                    var configured = endpoint.Section is null ? null
                        : facts.ConfigValue($"{endpoint.Section}:Endpoints:{endpoint.Name}:Certificate:Path") ?? facts.ConfigValue($"{endpoint.Section}:Certificates:Default:Path");
                    var file = Values.Normalize(configured) is { } rel ? facts.Find(rel) : null;
                    if (endpoint.Section is null || (configured is not null && file is null)) return; // a chain the analyzer cannot know
                    Served(c, facts, Values.Certificate(assignment.Value, facts), location, "EndpointConfiguration.HttpsOptions.ServerCertificate",
                        file is { IsPfx: false } ? new[] { file.Path } : null, chainSet: false, pfxByPath: false);
                    break;
                }
                Served(c, facts, Values.Certificate(assignment.Value, facts), location, "ServerCertificate",
                    chain is null ? null : Values.ChainFiles(chain.Value, facts), chainSet: chain is not null, pfxByPath: false);
                break;
            case ("HttpsConnectionAdapterOptions", "ServerCertificateSelector"):
                Selector(c, facts, assignment.Value, location, "ServerCertificateSelector");
                break;
            case ("SslServerAuthenticationOptions", "ServerCertificateSelectionCallback"):
                Selector(c, facts, assignment.Value, location, "ServerCertificateSelectionCallback");
                break;
            case ("SslServerAuthenticationOptions", "ServerCertificate"):
                var where = new Phrase(InOnAuthenticate(assignment) ? "Where_OnAuthenticate" : "Where_TlsCallback");
                Bad(c, facts, Values.Certificate(assignment.Value, facts), location, Descriptors.BareCertificateNeverStaples, where, new Phrase("How_BareCertificate", where));
                break;
        }
    }

    // A certificate served through Kestrel's own context: decided by platform, then by Core's chain verdict.
    private static void Served(OperationAnalysisContext c, CodeFacts facts, CertRef cert, Location location, string how,
        IReadOnlyList<string>? chain, bool chainSet, bool pfxByPath)
    {
        if (Known(c, facts, cert, location, how) is not { IsStapleable: true } fact) return;
        switch (facts.Platform)
        {
            case "osx":
                c.ReportDiagnostic(Diagnostic.Create(Descriptors.MacOSNeverStaples, location, fact.Name, fact.Path));
                return;
            case "windows":
                c.ReportDiagnostic(Diagnostic.Create(Descriptors.WindowsDoesNotStaple, location, fact.Name, fact.Path));
                return;
            case "linux":
                break;
            default:
                return; // platform unknown: the chain verdict is Linux-only (the lint's MST3006 says so)
        }
        if (chainSet && chain is not { Count: 1 }) return; // a chain the analyzer cannot resolve: nothing certain to say
        var outcome = chain is { Count: 1 } ? facts.ChainWith(fact.Path, chain[0]) ?? Chain.Incomplete : fact.Alone;
        if (outcome == Chain.Complete) return;
        Phrase cause, fix;
        if (chain is { Count: 1 })
        {
            cause = new Phrase("Cause_ChainFile", chain[0]);
            fix = new Phrase("Fix_ChainFile", chain[0]);
        }
        else if (pfxByPath)
        {
            cause = new Phrase("Cause_PfxByPath");
            // The call the user wrote is ListenOptions.UseHttps(path, password): the fix goes in its options overload.
            fix = new Phrase("Fix_PfxByPath");
        }
        else
        {
            cause = new Phrase("Cause_LeafWithoutChain", how, fact.IsPfx ? new Phrase("Cause_PfxIgnored") : "");
            fix = how is "UseHttps(certificate)"
                // UseHttps(cert) has no chain parameter: the options overload has.
                ? new Phrase("Fix_UseHttpsCertificate")
                : new Phrase("Fix_SetChain");
        }
        var descriptor = outcome == Chain.Incomplete ? Descriptors.ChainIncomplete : Descriptors.ChainNeedsDownload;
        c.ReportDiagnostic(Diagnostic.Create(descriptor, location, fact.Name, fact.Path, cause, fix));
    }

    // A shape that never staples (F5), whatever the platform and the chain.
    private static void Bad(OperationAnalysisContext c, CodeFacts facts, CertRef cert, Location location, DiagnosticDescriptor descriptor, object detail, object how)
    {
        if (Known(c, facts, cert, location, how) is { IsStapleable: true } fact)
            c.ReportDiagnostic(Diagnostic.Create(descriptor, location, fact.Name, fact.Path, detail));
    }

    private static void Selector(OperationAnalysisContext c, CodeFacts facts, IOperation value, Location location, string how)
    {
        var certs = value.DescendantsAndSelf().Where(IsCertificateSource).Select(o => Values.Certificate(o, facts)).ToList();
        var known = certs.Where(r => r.Path is not null).Select(r => facts.Find(r.Path!)).Where(f => f is { IsStapleable: true })
            .Select(f => f!).GroupBy(f => f.Path).Select(g => g.First()).ToList();
        foreach (var fact in known)
            c.ReportDiagnostic(Diagnostic.Create(Descriptors.SelectorNeverStaples, location, fact.Name, fact.Path, how));
        if (known.Count == 0 && certs.All(r => r.Path is null))
            c.ReportDiagnostic(Diagnostic.Create(Descriptors.CodeCertificateUnknown, location, new Phrase("Returned_By", how),
                certs.Count == 0 ? new Phrase("Unknown_RunTime") : certs[0].Unknown));
    }

    // The project file the certificate is, or a note (MST0007) saying why it cannot be known.
    private static CertFact? Known(OperationAnalysisContext c, CodeFacts facts, CertRef cert, Location location, object how)
    {
        var why = cert.Unknown;
        CertFact? fact = null;
        if (cert.Path is { } path)
        {
            fact = facts.Find(path);
            why = fact is null ? new Phrase("Unknown_NotCertificateFile", path)
                : fact.IsLocked ? new Phrase("Unknown_LockedPfx", path) : null;
        }
        if (why is not null)
        {
            c.ReportDiagnostic(Diagnostic.Create(Descriptors.CodeCertificateUnknown, location, new Phrase("Served_By", how), why));
            return null;
        }
        return fact;
    }

    private static bool IsCertificateSource(IOperation o) => o switch
    {
        IObjectCreationOperation create => create.Type?.Name is "X509Certificate2" or "X509Certificate",
        IInvocationOperation call => call.Type?.Name is "X509Certificate2" or "X509Certificate",
        // A reference to a certificate, unless it is only the receiver of a call (cert.GetNameInfo(…)).
        ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation => o.Type?.Name == "X509Certificate2"
            && !(o.Parent is IInvocationOperation call && call.Instance == o),
        _ => false,
    };

    private static IOperation? Argument(IInvocationOperation call, string parameter) =>
        call.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter && a.ArgumentKind != ArgumentKind.DefaultValue)?.Value;

    // The assignment of another property of the same options object (the lambda or initializer that sets ServerCertificate).
    private static ISimpleAssignmentOperation? Sibling(ISimpleAssignmentOperation assignment, string name)
    {
        var scope = (IOperation)assignment;
        while (scope.Parent is { } parent && scope is not IAnonymousFunctionOperation && scope is not IObjectOrCollectionInitializerOperation)
            scope = parent;
        return scope.Descendants().OfType<ISimpleAssignmentOperation>().FirstOrDefault(a =>
            a.Target is IPropertyReferenceOperation p && p.Property.Name == name && p.Property.ContainingType.Name == "HttpsConnectionAdapterOptions");
    }

    // The per-connection callback a context is created in ("the OnConnection callback"); null when the context outlives
    // the handshake (kept with ??=/??, stored in a field or property, or made by a nested lambda such as a cache's
    // GetOrAdd) or the enclosing function is not a TLS callback.
    private static Phrase? PerHandshakeCallback(IInvocationOperation create)
    {
        IOperation child = create;
        for (var o = create.Parent; o is not null; child = o, o = o.Parent)
        {
            switch (o)
            {
                case ICoalesceAssignmentOperation:
                case ICoalesceOperation coalesce when coalesce.WhenNull == child:
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IArrayElementReferenceOperation } assigned when assigned.Value == child:
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: not "ServerCertificateContext" } } stored when stored.Value == child:
                case ILocalFunctionOperation:
                    return null;
                case IAnonymousFunctionOperation function:
                    if (function.Parent is not IDelegateCreationOperation { Type: INamedTypeSymbol { DelegateInvokeMethod: { } invoke } type }) return null;
                    if (type.Name == "ServerOptionsSelectionCallback") return new Phrase("Callback_ServerOptionsSelection");
                    return invoke.Parameters.Any(p => p.Type.Name == "TlsHandshakeCallbackContext") ? new Phrase("Callback_OnConnection") : null;
            }
        }
        return null;
    }

    // e.HttpsOptions.ServerCertificate = … inside KestrelServerOptions.Configure(section).Endpoint(name, e => …): the endpoint
    // name, and the configuration section the loader reads (null when it is not a constant GetSection).
    private static (string Name, string? Section)? ConfiguredEndpoint(ISimpleAssignmentOperation assignment)
    {
        if (assignment.Target is not IPropertyReferenceOperation { Instance: IPropertyReferenceOperation { Property.Name: "HttpsOptions", Instance: IParameterReferenceOperation parameter } options }
            || options.Property.ContainingType.Name != "EndpointConfiguration") return null;
        var function = assignment.Parent;
        while (function is not null && !(function is IAnonymousFunctionOperation f && f.Symbol.Parameters.Contains(parameter.Parameter, SymbolEqualityComparer.Default)))
            function = function.Parent;
        if (function?.Parent is not IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation endpoint } }
            || endpoint.TargetMethod.Name != "Endpoint" || endpoint.TargetMethod.ContainingType.Name != "KestrelConfigurationLoader"
            || Argument(endpoint, "name")?.ConstantValue.Value is not string name) return null;
        var loader = endpoint.Instance;
        while (loader is IInvocationOperation chained && chained.TargetMethod.ContainingType.Name == "KestrelConfigurationLoader")
            loader = chained.Instance; // Endpoint(…).Endpoint(…) chains return the same loader
        string? section = null;
        if (loader is IInvocationOperation { TargetMethod.Name: "Configure" } configure && configure.TargetMethod.ContainingType.Name == "KestrelServerOptions"
            && configure.Arguments.Length > 0 && configure.Arguments[0].Value is var config
            && (config is IConversionOperation conversion ? conversion.Operand : config) is IInvocationOperation { TargetMethod.Name: "GetSection" } getSection
            && getSection.Arguments.Length == 1 && getSection.Arguments[0].Value.ConstantValue.Value is string key)
            section = key;
        return (name, section);
    }

    private static bool InOnAuthenticate(IOperation op)
    {
        for (var o = op.Parent; o is not null; o = o.Parent)
            if (o is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "OnAuthenticate" } }) return true;
        return false;
    }
}
