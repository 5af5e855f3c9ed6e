using System.Text;
using System.Text.Json;
using RecordKv.Atproto.Crypto;

namespace RecordKv.Atproto.Identity;

/// <summary>
/// The atproto view of a DID document: its DID, handle (first <c>at://</c> alias), signing key
/// (verification method <c>#atproto</c>) and PDS endpoint (service <c>#atproto_pds</c>).
/// Immutable; parse it with <see cref="Parse(ReadOnlySpan{byte})"/>.
/// </summary>
public sealed partial class DidDocument
{
    /// <summary>The largest document accepted, in UTF-8 bytes (PLC documents are well under 8 KiB).</summary>
    public const int MaxDocumentBytes = 128 * 1024;

    /// <summary>The verification method fragment holding the atproto signing key.</summary>
    public const string SigningKeyFragment = "#atproto";

    /// <summary>The service fragment naming the account's PDS.</summary>
    public const string PdsServiceFragment = "#atproto_pds";

    /// <summary>The service type a PDS entry must have.</summary>
    public const string PdsServiceType = "AtprotoPersonalDataServer";

    private DidDocument(string id, IReadOnlyList<string> alsoKnownAs, string? handle, AtprotoPublicKey? signingKey, Uri? pdsEndpoint)
    {
        Id = id;
        AlsoKnownAs = alsoKnownAs;
        Handle = handle;
        SigningKey = signingKey;
        PdsEndpoint = pdsEndpoint;
    }

    /// <summary>The document's DID (<c>id</c>).</summary>
    public string Id { get; }

    /// <summary>The <c>alsoKnownAs</c> entries as written.</summary>
    public IReadOnlyList<string> AlsoKnownAs { get; }

    /// <summary>The handle the document claims (first <c>at://</c> alias, lower-cased), or null when it claims none. Not verified.</summary>
    public string? Handle { get; }

    /// <summary>The atproto signing key, or null when the document has no <c>#atproto</c> verification method.</summary>
    public AtprotoPublicKey? SigningKey { get; }

    /// <summary>The PDS endpoint, or null when there is no <c>#atproto_pds</c> service of type <c>AtprotoPersonalDataServer</c>.</summary>
    public Uri? PdsEndpoint { get; }

    /// <summary>Parses a DID document from JSON text.</summary>
    /// <exception cref="DidDocumentException">The document is malformed or its atproto entries are unusable.</exception>
    public static DidDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        // Every character is at least one UTF-8 byte: refuse oversized text before encoding it.
        if (json.Length > MaxDocumentBytes)
        {
            throw new DidDocumentException($"The DID document is {json.Length} characters; the limit is {MaxDocumentBytes} bytes.");
        }

        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Parses a DID document from UTF-8 JSON.</summary>
    /// <exception cref="DidDocumentException">The document is malformed or its atproto entries are unusable.</exception>
    public static DidDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxDocumentBytes)
        {
            throw new DidDocumentException($"The DID document is {utf8Json.Length} bytes; the limit is {MaxDocumentBytes}.");
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                document.Dispose();
                throw new DidDocumentException("The DID document has content after its JSON value.");
            }
        }
        catch (JsonException exception)
        {
            throw new DidDocumentException($"The DID document is not valid JSON: {exception.Message}", exception);
        }

        using (document)
        {
            return FromJson(document.RootElement);
        }
    }
}
