using System.Globalization;
using RecordKv.Testing;

namespace RecordKv.RunScript.Tests;

/// <summary>What isolates one <c>./run.sh --sim</c> from a user's instance: its own state directory and ports.</summary>
internal sealed record RunScriptSetup(string DataDirectory, int NatsPort, int SimulatorPort, bool NoBuild)
{
    /// <summary>The NATS URL run.sh's nats-server listens on.</summary>
    public string NatsUrl => $"nats://127.0.0.1:{NatsPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A fresh temporary state directory and free ports; skips the build when the services are already built in Release.</summary>
    public static RunScriptSetup CreateIsolated()
    {
        var data = Path.Combine(Path.GetTempPath(), $"recordkv-runsh-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        return new RunScriptSetup(data, NatsServerProcess.FreePort(), NatsServerProcess.FreePort(), ServicesBuilt());
    }

    /// <summary>The command line: <c>setsid</c>'s arguments.</summary>
    public IEnumerable<string> Arguments()
    {
        string[] arguments =
        [
            "bash", Path.Combine(SharedFixtures.RepositoryRoot, "run.sh"), "--sim", "--sim-rate", "50",
            "--data", DataDirectory, "--port", NatsPort.ToString(CultureInfo.InvariantCulture),
            "--sim-port", SimulatorPort.ToString(CultureInfo.InvariantCulture), "--stop-timeout", "20", "--conf", string.Empty,
        ];
        return NoBuild ? [.. arguments, "--no-build"] : arguments;
    }

    /// <summary>Reads a log file run.sh wrote (empty when it does not exist yet).</summary>
    public string ReadLog(string name)
    {
        var path = Path.Combine(DataDirectory, "logs", name + ".log");
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static bool ServicesBuilt()
    {
        // This assembly is built in Release by ./test.sh, and its project references build the services beside it.
        if (!AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        {
            return false;
        }

        string[] assemblies = ["RecordKv.Cli/bin/Release/net10.0/recordkv.dll", "RecordKv.Ingester/bin/Release/net10.0/RecordKv.Ingester.dll",
            "RecordKv.Builder/bin/Release/net10.0/RecordKv.Builder.dll", "RecordKv.LikeIndexer/bin/Release/net10.0/RecordKv.LikeIndexer.dll"];
        return assemblies.All(a => File.Exists(Path.Combine(SharedFixtures.RepositoryRoot, "src", a)));
    }
}
