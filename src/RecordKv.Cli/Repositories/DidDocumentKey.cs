using System.Text.Json;
using RecordKv.Atproto.Crypto;

namespace RecordKv.Cli.Repositories;

/// <summary>The id and <c>#atproto</c> signing key of a DID document file.</summary>
/// <remarks>A deliberately small reader for the CLI: it takes the verification method whose id is <c>#atproto</c>
/// (or <c>DID#atproto</c>) in the Multikey or the legacy secp256k1/P-256 2019 form.</remarks>
internal sealed record DidDocumentKey(string Id, AtprotoPublicKey SigningKey)
{
    // DID documents are a few hundred bytes; anything this large is not one.
    private const long MaxDocumentBytes = 128 * 1024;

    public static async Task<DidDocumentKey> ReadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (Directory.Exists(file.FullName))
        {
            throw new CliException($"{file}: is a directory, not a DID document");
        }

        var length = new FileInfo(file.FullName).Length;
        if (length > MaxDocumentBytes)
        {
            throw new CliException($"{file}: not a DID document: {length} bytes is over the {MaxDocumentBytes}-byte limit");
        }

        var bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(bytes);
            return FromJson(json.RootElement);
        }
        catch (JsonException exception)
        {
            throw new CliException($"{file}: not a DID document: invalid JSON ({exception.Message})", exception);
        }
        catch (FormatException exception)
        {
            throw new CliException($"{file}: the #atproto signing key is not valid: {exception.Message}", exception);
        }
        catch (InvalidDataException exception)
        {
            throw new CliException($"{file}: not a usable DID document: {exception.Message}", exception);
        }
    }

    private static DidDocumentKey FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("id", out var idElement)
            || idElement.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException("no string \"id\"");
        }

        var id = idElement.GetString()!;
        if (!root.TryGetProperty("verificationMethod", out var methods) || methods.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("no \"verificationMethod\" array");
        }

        foreach (var method in methods.EnumerateArray())
        {
            if (method.ValueKind != JsonValueKind.Object
                || !method.TryGetProperty("id", out var methodId)
                || methodId.ValueKind != JsonValueKind.String
                || !(methodId.ValueEquals("#atproto") || methodId.ValueEquals(id + "#atproto")))
            {
                continue;
            }

            var type = method.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
                ? typeElement.GetString()
                : null;
            if (!method.TryGetProperty("publicKeyMultibase", out var multibase) || multibase.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException("the #atproto verification method has no string \"publicKeyMultibase\"");
            }

            var key = type switch
            {
                "Multikey" => AtprotoPublicKey.ParseMultikey(multibase.GetString()!),
                "EcdsaSecp256k1VerificationKey2019" => AtprotoPublicKey.ParseLegacyMultibase(KeyAlgorithm.K256, multibase.GetString()!),
                "EcdsaSecp256r1VerificationKey2019" => AtprotoPublicKey.ParseLegacyMultibase(KeyAlgorithm.P256, multibase.GetString()!),
                _ => throw new InvalidDataException($"the #atproto verification method has unsupported type \"{type}\""),
            };
            return new DidDocumentKey(id, key);
        }

        throw new InvalidDataException("no #atproto verification method (signing key)");
    }
}
