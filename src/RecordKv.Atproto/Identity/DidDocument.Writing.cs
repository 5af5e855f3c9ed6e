using System.Buffers;
using System.Text.Json;
using RecordKv.Atproto.Crypto;

namespace RecordKv.Atproto.Identity;

/// <summary>Building documents and writing them in the current PLC format (for simulators and the identity cache).</summary>
public sealed partial class DidDocument
{
    /// <summary>Creates the atproto view of a document for an account.</summary>
    public static DidDocument Create(string did, string? handle, AtprotoPublicKey? signingKey, Uri? pdsEndpoint)
    {
        ArgumentNullException.ThrowIfNull(did);
        if (!did.StartsWith("did:", StringComparison.Ordinal) || did.Contains('#', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{Truncate(did)}' is not a DID.", nameof(did));
        }

        if (pdsEndpoint is not null && (!pdsEndpoint.IsAbsoluteUri || (pdsEndpoint.Scheme != Uri.UriSchemeHttps && pdsEndpoint.Scheme != Uri.UriSchemeHttp)))
        {
            throw new ArgumentException($"The PDS endpoint '{pdsEndpoint}' is not an absolute http(s) URL.", nameof(pdsEndpoint));
        }

        var normalizedHandle = handle?.ToLowerInvariant();
        string[] alsoKnownAs = normalizedHandle is null ? [] : [string.Concat("at://", normalizedHandle)];
        return new DidDocument(did, alsoKnownAs, normalizedHandle, signingKey, pdsEndpoint);
    }

    /// <summary>
    /// Writes the document as PLC serves it today: <c>@context</c>, <c>id</c>, <c>alsoKnownAs</c>,
    /// a <c>Multikey</c> <c>#atproto</c> verification method and the <c>#atproto_pds</c> service.
    /// </summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("@context");
            writer.WriteStringValue("https://www.w3.org/ns/did/v1");
            writer.WriteStringValue("https://w3id.org/security/multikey/v1");
            if (SigningKey?.Algorithm == KeyAlgorithm.K256)
            {
                writer.WriteStringValue("https://w3id.org/security/suites/secp256k1-2019/v1");
            }

            writer.WriteEndArray();
            writer.WriteString("id", Id);
            writer.WriteStartArray("alsoKnownAs");
            foreach (var alias in AlsoKnownAs)
            {
                writer.WriteStringValue(alias);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("verificationMethod");
            if (SigningKey is not null)
            {
                writer.WriteStartObject();
                writer.WriteString("id", string.Concat(Id, SigningKeyFragment));
                writer.WriteString("type", "Multikey");
                writer.WriteString("controller", Id);
                writer.WriteString("publicKeyMultibase", SigningKey.ToMultikey());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("service");
            if (PdsEndpoint is not null)
            {
                writer.WriteStartObject();
                writer.WriteString("id", PdsServiceFragment);
                writer.WriteString("type", PdsServiceType);
                writer.WriteString("serviceEndpoint", PdsEndpoint.OriginalString);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
