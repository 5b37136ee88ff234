using MustStaple.Diagnostics;
using MustStaple.Localization;
using MustStaple.Rules;
using Org.BouncyCastle.Pkcs;

namespace MustStaple.Certificates;

/// <summary>
/// Opens PKCS#12 files with each candidate password, then the empty one. The certificate bags are read by
/// <see cref="Pkcs12CertificateBags"/>; layouts it does not handle go to BouncyCastle's full reader. Passwords never
/// reach any message.
/// </summary>
internal static class Pkcs12Reader
{
    private static readonly string[] EmptyPassword = [""];

    /// <summary>
    /// Opens <paramref name="path"/> with each password. Every key derivation a password costs (bag decryption, MAC) is
    /// charged to the run's <paramref name="budget"/> before it runs: an attacker chooses both the iteration counts and,
    /// through C# literals, the number of passwords, so the work is bounded per file and for the whole run.
    /// </summary>
    public static CertificateFile Read(string path, byte[] bytes, IEnumerable<string> passwords, Discovery.WorkBudget? budget = null)
    {
        var candidates = passwords.Concat(EmptyPassword).Distinct(StringComparer.Ordinal).ToList();
        budget ??= new Discovery.WorkBudget();
        void Kdf(long iterations) => budget.Charge(path, Discovery.WorkKind.KdfIterations, iterations);
        var perPassword = Pkcs12Budget.TotalKdfIterationLimit; // what the full reader may cost per password, unless the file says less
        try
        {
            var name = Path.GetFileName(path);
            switch (Pkcs12CertificateBags.Read(bytes, candidates, out var bags, out var overBudget, Kdf, cost => perPassword = cost))
            {
                case Pkcs12CertificateBags.Outcome.Opened:
                    return Describe(path, bags);
                case Pkcs12CertificateBags.Outcome.WrongPassword:
                    return Locked(path);
                case Pkcs12CertificateBags.Outcome.OverBudget:
                    return CertificateLoader.Problem(path, RuleIds.UnreadableInput, Texts.Input.Text("NotOpened", name, overBudget));
                case Pkcs12CertificateBags.Outcome.Broken:
                    return CertificateLoader.Problem(path, RuleIds.UnreadableInput, Texts.Input.Text("Pfx.Broken", name));
                case Pkcs12CertificateBags.Outcome.Corrupted:
                    return CertificateLoader.Problem(path, RuleIds.UnreadableInput,
                        Texts.Input.Text("Pfx.Damaged", name));
            }
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            // Malformed somewhere: the full reader decides what to report.
        }
        return ReadWithBouncyCastle(path, bytes, candidates, () => Kdf(perPassword));
    }

    private static CertificateFile ReadWithBouncyCastle(string path, byte[] bytes, IReadOnlyList<string> candidates, Action chargePassword)
    {
        var name = Path.GetFileName(path);
        var macFailed = false;
        foreach (var password in candidates)
        {
            chargePassword();
            try
            {
                var store = new Pkcs12StoreBuilder().Build();
                using (var stream = new MemoryStream(bytes, writable: false))
                    store.Load(stream, password.ToCharArray());
                return Describe(path, store);
            }
            catch (Exception ex) when (ParseFailure.IsExpected(ex))
            {
                // A wrong password fails the MAC ("… MAC invalid - wrong password …") or, on the key bags, the decryption.
                if (LooksLikePasswordFailure(ex)) { macFailed = true; continue; }
                return CertificateLoader.Problem(path, RuleIds.UnreadableInput, Texts.Input.Text("Pfx.Invalid", name));
            }
        }

        return macFailed ? Locked(path) : CertificateLoader.Problem(path, RuleIds.UnreadableInput, Texts.Input.Text("Pfx.Invalid", name));
    }

    private static CertificateFile Locked(string path) => new()
    {
        Path = path,
        Certificates = [],
        Requests = [],
        IsPkcs12 = true,
        IsLocked = true,
        Problems = [new LoadProblem(RuleIds.PfxCannotBeOpened, SourceLocation.StartOf(path),
            Texts.Input.Text("Pfx.Locked", Path.GetFileName(path)))],
    };

    private static CertificateFile Describe(string path, IReadOnlyList<Pkcs12CertificateBags.Bag> bags)
    {
        var certs = new List<CertificateInfo>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var at = SourceLocation.StartOf(path);
        // Key holders first (the one Kestrel serves), then the rest in file order.
        foreach (var bag in bags.Where(b => b.HasPrivateKey).Concat(bags.Where(b => !b.HasPrivateKey)))
        {
            var info = X509Facts.TryDescribeDer(bag.Der, at, CertificateFormat.Pkcs12, certs.Count, bag.HasPrivateKey)
                ?? throw new InvalidDataException("a certificate bag holds no certificate .NET can load");
            if (seen.Add(info.Sha256)) certs.Add(info);
        }
        return new CertificateFile { Path = path, Certificates = certs, Requests = [], Problems = [], IsPkcs12 = true };
    }

    private static bool LooksLikePasswordFailure(Exception ex) =>
        ex.Message.ToUpperInvariant() is var m && (m.Contains("PAD BLOCK CORRUPTED") || m.Contains("PASSWORD"));

    private static CertificateFile Describe(string path, Pkcs12Store store)
    {
        var certs = new List<CertificateInfo>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var at = SourceLocation.StartOf(path);
        // Key entries first (the one Kestrel serves), then the rest, each in alias order for determinism.
        var aliases = store.Aliases.OrderBy(a => store.IsKeyEntry(a) ? 0 : 1).ThenBy(a => a, StringComparer.Ordinal).ToList();
        foreach (var alias in aliases)
        {
            var isKey = store.IsKeyEntry(alias);
            var chain = isKey ? store.GetCertificateChain(alias) : null;
            var entries = chain is { Length: > 0 } ? chain : [store.GetCertificate(alias)];
            for (var i = 0; i < entries.Length; i++)
            {
                var c = entries[i]?.Certificate;
                if (c is null) continue;
                var info = X509Facts.Describe(c, at, CertificateFormat.Pkcs12, certs.Count, hasPrivateKey: isKey && i == 0);
                if (seen.Add(info.Sha256)) certs.Add(info);
            }
        }
        return new CertificateFile { Path = path, Certificates = certs, Requests = [], Problems = [], IsPkcs12 = true };
    }
}
