using System.Text;
using MustStaple.Diagnostics;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Utilities.Encoders;

namespace MustStaple.Certificates;

/// <summary>
/// Finds OpenSSL config sections that request must-staple: <c>tlsfeature = status_request</c> (or <c>5</c>),
/// or the raw form <c>1.3.6.1.5.5.7.1.24 = DER:30:03:02:01:05</c>.
/// </summary>
internal static class OpenSslConfigReader
{
    public static CertificateFile Read(string path, byte[] bytes)
    {
        var requests = new List<MustStapleRequest>();
        var section = "default";
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            var hash = raw.IndexOf('#');
            var line = hash >= 0 ? raw.Substring(0, hash) : raw;
            var trimmed = line.Trim();
            if (trimmed.Length >= 2 && trimmed[0] == '[' && trimmed[trimmed.Length - 1] == ']')
            {
                section = trimmed.Substring(1, trimmed.Length - 2).Trim();
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line.Substring(0, eq).Trim();
            var value = line.Substring(eq + 1).Trim();
            if (!RequestsStatusRequest(key, value)) continue;
            var column = line.IndexOf(key, StringComparison.Ordinal) + 1;
            requests.Add(new MustStapleRequest
            {
                Origin = new SourceLocation(path, i + 1, column, i + 1, line.TrimEnd().Length + 1),
                Description = Localization.Texts.Certificates.Text("Request.OpenSslSection", section, key, value),
            });
        }
        return new CertificateFile { Path = path, Certificates = [], Requests = requests, Problems = [] };
    }

    private static bool RequestsStatusRequest(string key, string value)
    {
        if (key.Equals("tlsfeature", StringComparison.OrdinalIgnoreCase))
        {
            return value.Split(',').Select(t => t.Trim())
                .Any(t => t.Equals("status_request", StringComparison.OrdinalIgnoreCase) || t == "5");
        }
        if (key != TlsFeature.Oid) return false;
        var der = value.Split(',').Select(t => t.Trim()).FirstOrDefault(t => t.StartsWith("DER:", StringComparison.OrdinalIgnoreCase));
        if (der is null) return false;
        try
        {
            var octets = Hex.Decode(der.Substring(4).Replace(":", ""));
            var feature = X509Facts.ReadTlsFeature(new DerOctetString(octets), critical: false);
            return feature?.RequiresStatusRequest == true;
        }
        catch (Exception ex) when (ParseFailure.IsExpected(ex))
        {
            return false;
        }
    }
}
