using System.Xml;
using MustStaple.Diagnostics;

namespace MustStaple.Kestrel;

/// <summary>A platform hint from an MSBuild property, with where it was set (null for evaluated MSBuild properties).</summary>
public sealed record PlatformSignal(TargetPlatform Platform, Localization.LocalizedText Description, SourceLocation? Location);

/// <summary>Reads the platform properties of a project or publish profile without evaluating MSBuild.</summary>
public static class ProjectFileReader
{
    private static readonly string[] RidProperties = ["RuntimeIdentifier", "RuntimeIdentifiers", "ContainerRuntimeIdentifier", "ContainerRuntimeIdentifiers"];

    /// <summary>
    /// Platform signals in the file; a malformed file yields none and an error. The bytes go to the XML reader as they
    /// are, as MSBuild hands them over: it detects a byte-order mark (UTF-8, UTF-16) or a declared encoding, and refuses
    /// bytes invalid in it. DTDs are prohibited.
    /// </summary>
    public static (IReadOnlyList<PlatformSignal> Signals, LoadError? Error) Read(string path, byte[] bytes)
    {
        var signals = new List<PlatformSignal>();
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = bytes.LongLength * 2 + 1024,
            });
            var info = (IXmlLineInfo)reader;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                var name = reader.LocalName;
                var isRid = RidProperties.Contains(name, StringComparer.OrdinalIgnoreCase);
                var isImage = name.Equals("ContainerBaseImage", StringComparison.OrdinalIgnoreCase);
                if (!isRid && !isImage) continue;
                var line = info.LineNumber;
                var col = info.LinePosition - 1;
                var value = reader.ReadElementContentAsString().Trim();
                var at = SourceLocation.OnLine(path, line, col, name.Length + 2);
                foreach (var v in value.Split([';'], StringSplitOptions.RemoveEmptyEntries))
                {
                    var p = isRid ? TargetPlatformText.FromRid(v) : TargetPlatformText.FromImage(v);
                    if (p is { } platform) signals.Add(new PlatformSignal(platform, Localization.Texts.Kestrel.Text("Platform.Property", name, v.Trim()), at));
                }
            }
            return (signals, null);
        }
        catch (XmlException ex)
        {
            return (signals, new LoadError(SourceLocation.OnLine(path, Math.Max(1, ex.LineNumber), Math.Max(1, ex.LinePosition), 1), $"invalid XML: {ex.Message}"));
        }
    }
}
