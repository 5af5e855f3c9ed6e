using System.Diagnostics;
using RecordKv.Testing;

namespace RecordKv.Cli.Tests;

/// <summary>Runs a script of <c>tests/js</c> (Bluesky's reference implementation) and returns its standard output.</summary>
internal static class ReferenceScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<string> RunAsync(string scriptName, params string[] args)
    {
        var script = Path.Combine(SharedFixtures.JavaScriptRoot, scriptName);
        if (!Directory.Exists(Path.Combine(SharedFixtures.JavaScriptRoot, "node_modules", "@atproto", "repo")))
        {
            throw new InvalidOperationException($"Run 'npm ci' in {SharedFixtures.JavaScriptRoot} first (test.sh does).");
        }

        var startInfo = new ProcessStartInfo("node", [script, .. args])
        {
            WorkingDirectory = SharedFixtures.JavaScriptRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        using var timeout = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
