using System.Text.RegularExpressions;
using RecordKv.Testing;

namespace RecordKv.RunScript.Tests;

/// <summary>
/// No Docker engine runs on the development machine, so <c>deploy/docker</c> is checked by reading it: the compose file
/// parses, names every service with its build target, environment, dependencies and ports, and mounts a NATS config that
/// exists and listens where the ports are published. Nothing here builds an image or starts a container.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string DockerDirectory = Path.Combine(SharedFixtures.RepositoryRoot, "deploy", "docker");

    public static TheoryData<string, string, string> Services => new()
    {
        { "ingester", "RecordKv.Ingester", "RECORDKV_Ingester__Host" },
        { "builder", "RecordKv.Builder", "RECORDKV_Builder__PlcDirectory" },
        { "like-indexer", "RecordKv.LikeIndexer", "RECORDKV_Nats__Servers__0" },
    };

    private static YamlNode Compose => BlockYaml.Parse(File.ReadAllLines(Path.Combine(DockerDirectory, "compose.yaml")));

    [Fact]
    public void Services_Parsed_AreNatsAndTheThreeRecordKvServices()
    {
        Compose["services"].Children.Keys.ShouldBe(["nats", "ingester", "builder", "like-indexer"], ignoreOrder: true);
        Compose["volumes"].Children.Keys.ShouldContain("nats-data");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_Each_BuildsItsProjectsTargetAndReachesNats(string service, string project, string settingKey)
    {
        var node = Compose["services"][service];
        var build = node["build"];
        Path.GetFullPath(Path.Combine(DockerDirectory, build["context"].Value!)).ShouldBe(Path.GetFullPath(SharedFixtures.RepositoryRoot));
        var dockerfile = File.ReadAllText(Path.Combine(SharedFixtures.RepositoryRoot, build["dockerfile"].Value!));
        var target = build["target"].Value!;
        target.ShouldBe(service);

        // The target stage exists, copies the project's publish output and runs the project's assembly.
        var stage = StagePattern().Matches(dockerfile).SingleOrDefault(m => m.Groups["name"].Value == target);
        stage.ShouldNotBeNull($"no 'FROM … AS {target}' stage");
        var body = stage.Groups["body"].Value;
        body.ShouldContain($"COPY --from=build /out/{service} /app");
        body.ShouldContain($"ENTRYPOINT [\"dotnet\", \"/app/{project}.dll\"]");
        dockerfile.ShouldContain($"dotnet publish src/{project} -c Release -o /out/{service}");
        File.Exists(Path.Combine(SharedFixtures.RepositoryRoot, "src", project, project + ".csproj")).ShouldBeTrue();

        var environment = node["environment"];
        environment["RECORDKV_Nats__Servers__0"].Value.ShouldBe("nats://nats:4222");
        environment.Children.ShouldContainKey(settingKey);
        node["depends_on"].ItemValues.ShouldContain("nats");
        node["restart"].Value.ShouldBe("on-failure");
    }

    [Fact]
    public void Nats_ConfigMount_ExistsAndListensOnEveryPublishedPort()
    {
        var nats = Compose["services"]["nats"];
        nats["image"].Value!.ShouldStartWith("nats:");
        var command = nats["command"].ItemValues.ToList();
        command.ShouldBe(["-c", "/etc/nats/nats.conf"]);

        var mounts = nats["volumes"].ItemValues.Select(v => v.Split(':')).ToList();
        var configMount = mounts.SingleOrDefault(m => m.Length >= 2 && m[1] == command[1]);
        configMount.ShouldNotBeNull("the config named by -c is not mounted");
        configMount.Length.ShouldBe(3);
        configMount[2].ShouldBe("ro");
        var configPath = Path.Combine(DockerDirectory, configMount[0]);
        File.Exists(configPath).ShouldBeTrue(configPath);
        var config = File.ReadAllText(configPath);
        config.ShouldContain("max_payload: 8MB");

        // The store directory is the named volume, so JetStream data survives the container.
        var store = StoreDirPattern().Match(config);
        store.Success.ShouldBeTrue("no store_dir");
        mounts.ShouldContain(m => m.Length == 2 && m[0] == "nats-data" && m[1] == store.Groups[1].Value);

        var published = nats["ports"].ItemValues.Select(p => p.Split(':')).ToList();
        published.Select(p => p[^1]).ShouldBe(["4222", "8222"], ignoreOrder: true);
        foreach (var port in published.Select(p => p[^1]))
        {
            // A port published from the container must be listened on every interface inside it, not its loopback.
            config.ShouldMatch($@"(?m)^(listen|http):\s*0\.0\.0\.0:{port}\s*$");
        }
    }

    [Theory]
    [InlineData("services:\n\tnats: {}")]
    [InlineData("services:\n   nats:\n  x: 1")]
    [InlineData("services\n  nats: 1")]
    [InlineData("a:\n  - x\n  b: 1")]
    [InlineData("a: { b: 1")]
    [InlineData("a: [\"b, c]")]
    [InlineData("a: 1\na: 2")]
    public void Parse_Malformed_Throws(string yaml)
    {
        Should.Throw<FormatException>(() => BlockYaml.Parse(yaml.Split('\n')));
    }

    [GeneratedRegex(@"(?ms)^FROM \S+ AS (?<name>[a-z-]+)\n(?<body>.*?)(?=^FROM |\z)")]
    private static partial Regex StagePattern();

    [GeneratedRegex(@"store_dir:\s*""?([^""\s]+)""?")]
    private static partial Regex StoreDirPattern();
}
