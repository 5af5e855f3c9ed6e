using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Cbor;

/// <summary>Random data-model values encoded and decoded both by us and by Bluesky's @atproto/lex-cbor (tests/js/cbor-crosscheck.mjs).</summary>
public sealed class DagCborCrossCheckTests
{
    // Keys of different UTF-8 lengths and scripts, so that canonical ordering (length first, then bytes) is exercised.
    private static readonly string[] Keys =
        ["", "a", "b", "z", "A", "aa", "ab", "ba", "text", "createdAt", "é", "ü", "ée", "𓋓", "😀", "日本", "~", "0", "a b", "\u007f", "\u0080"];

    private static readonly string[] Texts =
        ["", "abc", "a~öñ©⽘☎𓋓😀👨‍👩‍👧‍👧", "line\nbreak", "quote\"and\\", "\u0000", "日本語", "https://example.com/?a=1&b=2"];

    [Fact]
    public async Task FromJsonAndToJson_RandomValues_MatchReferenceImplementation()
    {
        var random = new Random(1122);
        var values = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            values.Add(RandomObject(random, depth: 0).ToJsonString());
        }

        var ours = values.Select(json => DagCborJson.FromJson(Encoding.UTF8.GetBytes(json))).ToList();
        var requests = new JsonArray();
        foreach (var json in values)
        {
            requests.Add(new JsonObject { ["op"] = "encode", ["json"] = json });
        }

        foreach (var cbor in ours)
        {
            requests.Add(new JsonObject { ["op"] = "decode", ["cborBase64"] = Convert.ToBase64String(cbor) });
        }

        var answers = await RunNodeAsync(requests.ToJsonString());

        for (var i = 0; i < values.Count; i++)
        {
            var reference = answers[i]!;
            Convert.ToBase64String(ours[i]).ShouldBe(reference["cborBase64"]!.GetValue<string>(), values[i]);
            Cid.ForDagCbor(ours[i]).ToString().ShouldBe(reference["cid"]!.GetValue<string>());
            DagCbor.Validate(ours[i]);

            var theirJson = JsonNode.Parse(answers[values.Count + i]!["json"]!.GetValue<string>());
            var ourJson = JsonNode.Parse(DagCborJson.ToJsonString(ours[i]));
            JsonNode.DeepEquals(ourJson, theirJson).ShouldBeTrue(values[i]);
            JsonNode.DeepEquals(ourJson, JsonNode.Parse(values[i])).ShouldBeTrue(values[i]);
        }
    }

    private static JsonObject RandomObject(Random random, int depth)
    {
        var result = new JsonObject();
        var count = random.Next(depth == 0 ? 1 : 0, 7);
        for (var i = 0; i < count; i++)
        {
            result[Keys[random.Next(Keys.Length)]] = RandomValue(random, depth + 1);
        }

        return result;
    }

    private static JsonNode? RandomValue(Random random, int depth)
    {
        var kind = random.Next(depth >= 4 ? 7 : 9);
        switch (kind)
        {
            case 0:
                // JavaScript numbers are exact only up to 2^53.
                return JsonValue.Create(random.NextInt64(-(1L << 53) + 1, 1L << 53) >> random.Next(54));
            case 1:
                return JsonValue.Create(Texts[random.Next(Texts.Length)]);
            case 2:
                return JsonValue.Create(random.Next(2) == 0);
            case 3:
                return null;
            case 4:
                var bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
                return new JsonObject { ["$bytes"] = Convert.ToBase64String(bytes).TrimEnd('=') };
            case 5:
                var content = new byte[8];
                random.NextBytes(content);
                var cid = random.Next(2) == 0 ? Cid.ForDagCbor(content) : Cid.ForRaw(content);
                return new JsonObject { ["$link"] = cid.ToString() };
            case 6:
                return JsonValue.Create(random.Next(-30, 30));
            case 7:
                var array = new JsonArray();
                for (var i = random.Next(0, 5); i > 0; i--)
                {
                    array.Add(RandomValue(random, depth + 1));
                }

                return array;
            default:
                return RandomObject(random, depth);
        }
    }

    private static async Task<JsonArray> RunNodeAsync(string input)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var start = new ProcessStartInfo("node", "cbor-crosscheck.mjs")
        {
            WorkingDirectory = SharedFixtures.JavaScriptRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(input), timeout.Token);
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.ShouldBe(0, await error);
        return JsonNode.Parse(await output)!.AsArray();
    }
}
