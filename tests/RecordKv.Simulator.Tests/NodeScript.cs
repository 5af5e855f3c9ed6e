using System.Diagnostics;
using System.Text.Json;
using RecordKv.Testing;

namespace RecordKv.Simulator.Tests;

/// <summary>Runs a tests/js script with node and parses the one JSON object it prints.</summary>
internal static class NodeScript
{
    public static async Task<JsonDocument> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = SharedFixtures.JavaScriptRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(SharedFixtures.JavaScriptRoot, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var text = await output;
        process.ExitCode.ShouldBe(0, $"{script} failed: {await error}\n{text}");
        return JsonDocument.Parse(text);
    }
}
