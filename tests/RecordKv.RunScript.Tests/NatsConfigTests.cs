using System.Diagnostics;
using RecordKv.Testing;

namespace RecordKv.RunScript.Tests;

/// <summary>The nats-server configs in <c>deploy/</c> pass nats-server's own check (<c>-t</c>: parse and validate, start nothing).</summary>
public sealed class NatsConfigTests
{
    [Theory]
    [InlineData("nats/single.conf")]
    [InlineData("nats/cluster-node1.conf")]
    [InlineData("nats/cluster-node2.conf")]
    [InlineData("nats/cluster-node3.conf")]
    [InlineData("docker/nats.conf")]
    public async Task NatsServerTest_DeployConfig_Valid(string file)
    {
        var (exitCode, output) = await CheckAsync(Path.Combine(SharedFixtures.RepositoryRoot, "deploy", file));

        exitCode.ShouldBe(0, output);
        output.ShouldContain("is valid");
    }

    [Fact]
    public async Task NatsServerTest_BrokenConfig_Rejected()
    {
        var path = Path.Combine(Path.GetTempPath(), $"recordkv-broken-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(path, "listen: 127.0.0.1:x\njetstream {\n");
        try
        {
            var (exitCode, _) = await CheckAsync(path);
            exitCode.ShouldNotBe(0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(int ExitCode, string Output)> CheckAsync(string path)
    {
        var start = new ProcessStartInfo("nats-server") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-t");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
