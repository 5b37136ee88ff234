using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MustStaple.Diagnostics;

namespace MustStaple.EndToEnd.Tests.Proxies;

/// <summary>
/// Runs a real server (installed from apt by .ci/run) on 127.0.0.1 with a config in a temporary folder, asks an
/// enforcing client (gnutls-cli, which refuses a must-staple certificate without a valid staple) to connect, and runs
/// the lint on the same folder. Every process is bounded in time and killed (by its own id) on dispose.
/// </summary>
internal sealed class ProxyHarness : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly System.Text.StringBuilder _output = new();

    public ProxyHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "muststaple-proxies", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relative, string text) => Write(relative, System.Text.Encoding.UTF8.GetBytes(text));

    public string Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The absolute path of <paramref name="name"/> on PATH or in the sbin folders, or null.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin", "/sbin"])
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>Marks the test inconclusive when a tool is not installed (.ci/run installs them).</summary>
    public static string Require(string name) =>
        Find(name) ?? throw new AssertInconclusiveException($"{name} is not installed (apt-get install nginx haproxy apache2 caddy gnutls-bin)");

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>Runs a command to completion (at most <paramref name="timeoutSeconds"/>): exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(string exe, IEnumerable<string> args, int timeoutSeconds = 30, IDictionary<string, string>? env = null)
    {
        using var p = Start(exe, args, env);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(" ", args)} did not finish in {timeoutSeconds}s");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Starts a server in the foreground and waits (at most 15 s) until it accepts connections on <paramref name="port"/>.</summary>
    public void StartServer(string exe, IEnumerable<string> args, int port, Func<string>? log = null, IDictionary<string, string>? env = null)
    {
        var p = Start(exe, args, env);
        _processes.Add(p);
        var output = _output;
        p.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited)
            {
                lock (output) Assert.Fail($"{Path.GetFileName(exe)} exited with {p.ExitCode}:\n{output}\n{log?.Invoke()}");
            }
            using var tcp = new TcpClient();
            try
            {
                if (tcp.ConnectAsync(IPAddress.Loopback, port).Wait(500) && tcp.Connected) return;
            }
            catch (AggregateException)
            {
            }
            Thread.Sleep(100);
        }
        lock (output) Assert.Fail($"{Path.GetFileName(exe)} did not listen on {port} within 15 s:\n{output}\n{log?.Invoke()}");
    }

    /// <summary>What the started servers wrote to stdout and stderr so far.</summary>
    public string ReadLog()
    {
        lock (_output) return _output.ToString();
    }

    /// <summary>
    /// One handshake by gnutls-cli trusting <paramref name="caFile"/>: true when it completes. gnutls-cli enforces
    /// must-staple: no staple, or a staple that is not a successful, valid, current response, fails the handshake.
    /// </summary>
    public static (bool Ok, string Output) Gnutls(int port, string caFile)
    {
        var (code, output) = Run(Require("gnutls-cli"), ["--x509cafile=" + caFile, "--port=" + port, "--verify-hostname=localhost", "127.0.0.1"], 20);
        return (code == 0 && output.Contains("Handshake was completed", StringComparison.Ordinal), output);
    }

    /// <summary>Handshakes with gnutls-cli until one completes or <paramref name="attempts"/> (0.5 s apart) run out.</summary>
    public static (bool Ok, int Attempts, string LastOutput) GnutlsPoll(int port, string caFile, int attempts = 10)
    {
        var last = "";
        for (var i = 1; i <= attempts; i++)
        {
            var (ok, output) = Gnutls(port, caFile);
            if (ok) return (true, i, output);
            last = output;
            Thread.Sleep(500);
        }
        return (false, attempts, last);
    }

    /// <summary>The lint on this folder at the real clock (staple files and the responder are dated by it): "ID line" strings.</summary>
    public LintResult Lint() => LintEngine.Run(new LintRequest { Paths = [Root], Now = DateTimeOffset.UtcNow, SourceRoot = Root });

    public static string Describe(LintResult r) =>
        string.Join("\n", r.Diagnostics.Select(d => CanonicalFormatter.Format(d, Path.GetFileName(d.Location.Path))));

    private static Process Start(string exe, IEnumerable<string> args, IDictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var kv in env ?? new Dictionary<string, string>()) psi.Environment[kv.Key] = kv.Value;
        var p = Process.Start(psi)!;
        p.StandardInput.Close();
        return p;
    }

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                    p.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
