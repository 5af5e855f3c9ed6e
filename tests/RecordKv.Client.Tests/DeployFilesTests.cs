using System.Text.RegularExpressions;
using RecordKv.Testing;

namespace RecordKv.Client.Tests;

/// <summary>
/// No Docker engine or systemd runs here, so the deployment files are checked structurally: the compose file parses as
/// the block YAML subset it uses and names every service, port and Dockerfile target; units and NATS configs have what matters.
/// </summary>
public sealed partial class DeployFilesTests
{
    private static string Deploy(params string[] parts) => Path.Combine([SharedFixtures.RepositoryRoot, "deploy", .. parts]);

    [Fact]
    public void ComposeFile_Parsed_NamesEveryServicePortAndTarget()
    {
        var compose = ParseBlockYaml(File.ReadAllLines(Deploy("docker", "compose.yaml")));
        var services = compose["services"].Children;
        services.Keys.ShouldBe(["nats", "ingester", "builder", "like-indexer"], ignoreOrder: true);
        services["nats"].Children["ports"].Items.ShouldContain("\"4222:4222\"");
        var dockerfile = File.ReadAllText(Deploy("docker", "Dockerfile"));
        foreach (var name in new[] { "ingester", "builder", "like-indexer" })
        {
            var build = services[name].Children["build"].Value!;
            var target = TargetPattern().Match(build);
            target.Success.ShouldBeTrue(build);
            target.Groups[1].Value.ShouldBe(name);
            dockerfile.ShouldContain($" AS {name}\n");
            services[name].Children["environment"].Children["RECORDKV_Nats__Servers__0"].Value.ShouldBe("nats://nats:4222");
        }
    }

    [Theory]
    [InlineData("services:\n\tnats: {}")]
    [InlineData("services:\n   nats:\n  x: 1")]
    [InlineData("services\n  nats: 1")]
    public void ParseBlockYaml_Malformed_Throws(string yaml)
    {
        Should.Throw<FormatException>(() => ParseBlockYaml(yaml.Split('\n')));
    }

    [Theory]
    [InlineData("ingester", "RecordKv.Ingester.dll")]
    [InlineData("builder", "RecordKv.Builder.dll")]
    [InlineData("like-indexer", "RecordKv.LikeIndexer.dll")]
    public void SystemdUnit_EachService_RestartsHardenedAndRunsItsAssembly(string service, string assembly)
    {
        var unit = File.ReadAllText(Deploy("systemd", $"recordkv-{service}.service"));
        unit.ShouldContain($"ExecStart=/usr/bin/dotnet /opt/recordkv/{service}/{assembly}");
        unit.ShouldContain("Restart=on-failure");
        unit.ShouldContain("DynamicUser=yes");
        unit.ShouldContain("ProtectSystem=strict");
        File.Exists(Path.Combine(SharedFixtures.RepositoryRoot, "src", Path.GetFileNameWithoutExtension(assembly), Path.GetFileNameWithoutExtension(assembly) + ".csproj")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("single.conf")]
    [InlineData("cluster-node1.conf")]
    [InlineData("cluster-node2.conf")]
    [InlineData("cluster-node3.conf")]
    public void NatsConfig_Each_RaisesMaxPayloadAndEnablesJetStream(string file)
    {
        var config = File.ReadAllText(Deploy("nats", file));
        config.ShouldContain("max_payload: 8MB");
        config.ShouldContain("jetstream {");
        config.ShouldContain("max_file_store:");
    }

    /// <summary>The block-YAML subset the compose file uses: <c>key:</c>, <c>key: value</c>, <c>- item</c>, two-space indents, comments.</summary>
    private static Dictionary<string, YamlNode> ParseBlockYaml(IEnumerable<string> lines)
    {
        var root = new YamlNode();
        var stack = new Stack<(int Indent, YamlNode Node)>();
        stack.Push((-1, root));
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            if (raw.Contains('\t', StringComparison.Ordinal))
            {
                throw new FormatException($"line {number}: tab");
            }

            var text = raw.TrimEnd();
            if (text.TrimStart().Length == 0 || text.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var indent = text.Length - text.TrimStart().Length;
            if (indent % 2 != 0)
            {
                throw new FormatException($"line {number}: odd indent");
            }

            while (stack.Peek().Indent >= indent)
            {
                stack.Pop();
            }

            var parent = stack.Peek().Node;
            var content = text.TrimStart();
            if (content.StartsWith("- ", StringComparison.Ordinal))
            {
                parent.Items.Add(content[2..].Trim());
                continue;
            }

            var colon = content.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"line {number}: expected 'key:'");
            }

            var node = new YamlNode { Value = content[(colon + 1)..].Trim() is { Length: > 0 } v ? v : null };
            if (!parent.Children.TryAdd(content[..colon], node))
            {
                throw new FormatException($"line {number}: duplicate key");
            }

            stack.Push((indent, node));
        }

        return root.Children;
    }

    [GeneratedRegex(@"target:\s*([a-z-]+)")]
    private static partial Regex TargetPattern();

    private sealed class YamlNode
    {
        public string? Value { get; init; }

        public Dictionary<string, YamlNode> Children { get; } = new(StringComparer.Ordinal);

        public List<string> Items { get; } = [];
    }
}
