using System.Text.Json;
using RecordKv.Atproto.Crypto;

namespace RecordKv.Atproto.Identity;

/// <summary>Reading the atproto entries out of the parsed JSON.</summary>
public sealed partial class DidDocument
{
    private const int MaxDepth = 16;

    private static DidDocument FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DidDocumentException($"A DID document is a JSON object, not {Describe(root.ValueKind)}.");
        }

        CheckNoDuplicateProperties(root, "the document");

        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
        {
            throw new DidDocumentException("The DID document has no string 'id'.");
        }

        var id = idElement.GetString()!;
        if (!id.StartsWith("did:", StringComparison.Ordinal) || id.Contains('#', StringComparison.Ordinal))
        {
            throw new DidDocumentException($"The DID document's id '{Truncate(id)}' is not a DID.");
        }

        var alsoKnownAs = ReadAlsoKnownAs(root, id);
        var handle = FindHandle(alsoKnownAs);
        var signingKey = ReadSigningKey(root, id);
        var pdsEndpoint = ReadPdsEndpoint(root, id);
        return new DidDocument(id, alsoKnownAs, handle, signingKey, pdsEndpoint);
    }

    private static string[] ReadAlsoKnownAs(JsonElement root, string id)
    {
        if (!TryGetArray(root, "alsoKnownAs", id, out var array))
        {
            return [];
        }

        var aliases = new string[array.GetArrayLength()];
        var index = 0;
        foreach (var alias in array.EnumerateArray())
        {
            if (alias.ValueKind != JsonValueKind.String)
            {
                throw new DidDocumentException($"DID document {id}: alsoKnownAs[{index}] is {Describe(alias.ValueKind)}, not a string.");
            }

            aliases[index++] = alias.GetString()!;
        }

        return aliases;
    }

    private static string? FindHandle(string[] alsoKnownAs)
    {
        foreach (var alias in alsoKnownAs)
        {
            if (alias.StartsWith("at://", StringComparison.Ordinal) && alias.Length > "at://".Length)
            {
                return alias["at://".Length..].ToLowerInvariant();
            }
        }

        return null;
    }

    private static AtprotoPublicKey? ReadSigningKey(JsonElement root, string id)
    {
        if (!TryFindEntry(root, "verificationMethod", SigningKeyFragment, id, out var method))
        {
            return null;
        }

        var type = RequireString(method, "type", id, "verification method #atproto");
        if (!method.TryGetProperty("publicKeyMultibase", out var multibaseElement) || multibaseElement.ValueKind != JsonValueKind.String)
        {
            throw new DidDocumentException($"DID document {id}: verification method #atproto has no string publicKeyMultibase (type {type}).");
        }

        var multibase = multibaseElement.GetString()!;
        try
        {
            return type switch
            {
                "Multikey" => AtprotoPublicKey.ParseMultikey(multibase),
                "EcdsaSecp256k1VerificationKey2019" => AtprotoPublicKey.ParseLegacyMultibase(KeyAlgorithm.K256, multibase),
                "EcdsaSecp256r1VerificationKey2019" => AtprotoPublicKey.ParseLegacyMultibase(KeyAlgorithm.P256, multibase),
                _ => throw new DidDocumentException(
                    $"DID document {id}: verification method #atproto has unsupported type '{Truncate(type)}' (expected Multikey, EcdsaSecp256k1VerificationKey2019 or EcdsaSecp256r1VerificationKey2019)."),
            };
        }
        catch (KeyFormatException exception)
        {
            throw new DidDocumentException($"DID document {id}: verification method #atproto ({type}) has a bad key: {exception.Message}", exception);
        }
    }

    private static Uri? ReadPdsEndpoint(JsonElement root, string id)
    {
        if (!TryFindEntry(root, "service", PdsServiceFragment, id, out var service))
        {
            return null;
        }

        if (RequireString(service, "type", id, "service #atproto_pds") != PdsServiceType)
        {
            return null;
        }

        var endpoint = RequireString(service, "serviceEndpoint", id, "service #atproto_pds");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Host.Length == 0)
        {
            throw new DidDocumentException($"DID document {id}: service #atproto_pds endpoint '{Truncate(endpoint)}' is not an http(s) URL.");
        }

        return uri;
    }

    /// <summary>Finds the first entry of an array whose id is the fragment, written bare ("#atproto") or with the DID ("did:…#atproto").</summary>
    private static bool TryFindEntry(JsonElement root, string arrayName, string fragment, string id, out JsonElement entry)
    {
        entry = default;
        if (!TryGetArray(root, arrayName, id, out var array))
        {
            return false;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new DidDocumentException($"DID document {id}: {arrayName}[{index}] is {Describe(item.ValueKind)}, not an object.");
            }

            CheckNoDuplicateProperties(item, $"{arrayName}[{index}]");
            var itemId = RequireString(item, "id", id, $"{arrayName}[{index}]");
            if (itemId == fragment
                || (itemId.Length == id.Length + fragment.Length && itemId.StartsWith(id, StringComparison.Ordinal) && itemId.EndsWith(fragment, StringComparison.Ordinal)))
            {
                entry = item;
                return true;
            }

            index++;
        }

        return false;
    }

    private static bool TryGetArray(JsonElement root, string name, string id, out JsonElement array)
    {
        if (!root.TryGetProperty(name, out array) || array.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new DidDocumentException($"DID document {id}: '{name}' is {Describe(array.ValueKind)}, not an array.");
        }

        return true;
    }

    private static string RequireString(JsonElement item, string property, string id, string where)
    {
        if (!item.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new DidDocumentException($"DID document {id}: {where} has no string '{property}'.");
        }

        return value.GetString()!;
    }

    /// <summary>JSON allows repeated names but then readers disagree on the value: a signing key must be unambiguous.</summary>
    private static void CheckNoDuplicateProperties(JsonElement element, string where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new DidDocumentException($"The DID document repeats the property '{Truncate(property.Name)}' in {where}.");
            }
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Truncate(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "…");
}
