using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Crypto;

/// <summary>Runs <c>tests/js/crypto-crosscheck.mjs</c> (Bluesky's @atproto/crypto) on a batch of requests.</summary>
internal static class AtprotoCryptoScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Sends the requests as a JSON array and returns the script's JSON array of answers.</summary>
    public static JsonArray Run(JsonArray requests)
    {
        var script = Path.Combine(SharedFixtures.JavaScriptRoot, "crypto-crosscheck.mjs");
        if (!Directory.Exists(Path.Combine(SharedFixtures.JavaScriptRoot, "node_modules", "@atproto", "crypto")))
        {
            throw new InvalidOperationException($"Run 'npm ci' in {SharedFixtures.JavaScriptRoot} first (test.sh does).");
        }

        var startInfo = new ProcessStartInfo("node", [script])
        {
            WorkingDirectory = SharedFixtures.JavaScriptRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(requests.ToJsonString());
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {error.Result}");
        }

        return JsonNode.Parse(output.Result)!.AsArray();
    }

    /// <summary>A sign request for the script.</summary>
    public static JsonObject SignRequest(string jwtAlgorithm, byte[] secret, byte[] message) => new()
    {
        ["op"] = "sign",
        ["alg"] = jwtAlgorithm,
        ["privateKeyHex"] = Convert.ToHexStringLower(secret),
        ["messageBase64"] = Convert.ToBase64String(message),
    };

    /// <summary>A verify request for the script.</summary>
    public static JsonObject VerifyRequest(string didKey, byte[] message, byte[] signature) => new()
    {
        ["op"] = "verify",
        ["didKey"] = didKey,
        ["messageBase64"] = Convert.ToBase64String(message),
        ["signatureBase64"] = Convert.ToBase64String(signature),
    };

    /// <summary>Serializes for diagnostics.</summary>
    public static string Describe(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
