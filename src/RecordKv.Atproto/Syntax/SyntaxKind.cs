namespace RecordKv.Atproto.Syntax;

/// <summary>The atproto string formats this folder validates.</summary>
public enum SyntaxKind
{
    /// <summary>A DID (<c>did:method:identifier</c>).</summary>
    Did,

    /// <summary>A DNS-style handle.</summary>
    Handle,

    /// <summary>Either a DID or a handle.</summary>
    AtIdentifier,

    /// <summary>A namespaced identifier.</summary>
    Nsid,

    /// <summary>A repository record key.</summary>
    RecordKey,

    /// <summary>A timestamp identifier.</summary>
    Tid,

    /// <summary>An <c>at://</c> URI in the restricted Lexicon form.</summary>
    AtUri,

    /// <summary>A Lexicon datetime.</summary>
    Datetime,

    /// <summary>A BCP 47 language tag.</summary>
    Language,

    /// <summary>A CID in string form (lexical check only).</summary>
    Cid,

    /// <summary>A generic URI.</summary>
    Uri,
}
