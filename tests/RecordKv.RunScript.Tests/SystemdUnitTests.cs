using System.Diagnostics;
using RecordKv.Testing;

namespace RecordKv.RunScript.Tests;

/// <summary>
/// systemd does not run on the development machine, so the units are checked without starting them: their settings are
/// read, and <c>systemd-analyze verify</c> (present on this machine) must accept each with no diagnostic.
/// </summary>
public sealed class SystemdUnitTests
{
    private static readonly string UnitDirectory = Path.Combine(SharedFixtures.RepositoryRoot, "deploy", "systemd");

    [Theory]
    [InlineData("ingester", "RecordKv.Ingester")]
    [InlineData("builder", "RecordKv.Builder")]
    [InlineData("like-indexer", "RecordKv.LikeIndexer")]
    public void Unit_EachService_RestartsHardenedAndRunsItsAssembly(string service, string project)
    {
        var settings = ReadService(Path.Combine(UnitDirectory, $"recordkv-{service}.service"));

        settings["ExecStart"].ShouldBe([$"/usr/bin/dotnet /opt/recordkv/{service}/{project}.dll"]);
        settings["WorkingDirectory"].ShouldBe([$"/opt/recordkv/{service}"]);
        settings["Restart"].ShouldBe(["on-failure"]);
        settings["DynamicUser"].ShouldBe(["yes"]);
        settings["ProtectSystem"].ShouldBe(["strict"]);
        settings["NoNewPrivileges"].ShouldBe(["yes"]);
        settings["EnvironmentFile"].ShouldBe(["-/etc/recordkv/recordkv.env", $"-/etc/recordkv/{service}.env"]);
        File.Exists(Path.Combine(SharedFixtures.RepositoryRoot, "src", project, project + ".csproj")).ShouldBeTrue();
    }

    [Fact]
    public void EnvironmentFile_Shared_NamesNatsAndOnlyRecordKvKeys()
    {
        var lines = File.ReadAllLines(Path.Combine(UnitDirectory, "recordkv.env")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        lines.ShouldContain("RECORDKV_Nats__Servers__0=nats://127.0.0.1:4222");
        lines.ShouldAllBe(l => l.StartsWith("RECORDKV_", StringComparison.Ordinal) && l.Contains('=', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ingester")]
    [InlineData("builder")]
    [InlineData("like-indexer")]
    public async Task SystemdAnalyzeVerify_EachUnit_NoDiagnostics(string service)
    {
        var analyze = new ProcessStartInfo("systemd-analyze") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "verify", "--man=no", Path.Combine(UnitDirectory, $"recordkv-{service}.service") })
        {
            analyze.ArgumentList.Add(argument);
        }

        using var process = Process.Start(analyze)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.ShouldBe(0, await error);
        ((await error) + (await output)).Trim().ShouldBeEmpty();
    }

    [Fact]
    public async Task SystemdAnalyzeVerify_BrokenUnit_Reports()
    {
        // The check above can fail: systemd-analyze reports a setting it does not accept.
        var path = Path.Combine(Path.GetTempPath(), $"recordkv-broken-{Guid.NewGuid():N}.service");
        await File.WriteAllTextAsync(path, "[Unit]\nDescription=broken\n[Service]\nExecStart=/bin/true\nRestart=sometimes\n");
        try
        {
            var analyze = new ProcessStartInfo("systemd-analyze") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            analyze.ArgumentList.Add("verify");
            analyze.ArgumentList.Add("--man=no");
            analyze.ArgumentList.Add(path);
            using var process = Process.Start(analyze)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            error.ShouldContain("Restart");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Dictionary<string, List<string>> ReadService(string path)
    {
        var settings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var section = string.Empty;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                section = line;
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            equals.ShouldBeGreaterThan(0, $"{path}: '{line}' is not KEY=value");
            if (section == "[Service]")
            {
                var key = line[..equals];
                if (!settings.TryGetValue(key, out var values))
                {
                    settings[key] = values = [];
                }

                values.Add(line[(equals + 1)..]);
            }
        }

        return settings;
    }
}
