namespace RecordKv.Contracts;

/// <summary>Names one record: <c>at://{Did}/{Collection}/{RecordKey}</c>.</summary>
public readonly record struct RecordId(string Did, string Collection, string RecordKey)
{
    private const string AtUriScheme = "at://";

    /// <summary>The record's AT-URI.</summary>
    public string ToAtUri() => $"{AtUriScheme}{Did}/{Collection}/{RecordKey}";

    /// <inheritdoc />
    public override string ToString() => ToAtUri();

    /// <summary>Parses <c>at://did/collection/rkey</c>; a handle in place of the DID is refused, since keys are by DID.</summary>
    public static RecordId ParseAtUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.StartsWith(AtUriScheme, StringComparison.Ordinal))
        {
            throw new KeyFormatException($"'{uri}' is not an AT-URI: it does not start with '{AtUriScheme}'.");
        }

        var parts = uri[AtUriScheme.Length..].Split('/');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            throw new KeyFormatException($"'{uri}' does not name one record: expected at://DID/COLLECTION/RKEY.");
        }

        if (!parts[0].StartsWith("did:", StringComparison.Ordinal))
        {
            throw new KeyFormatException($"'{uri}' names its repository by handle; record keys need the DID.");
        }

        RecordStoreKeys.EnsureCollection(parts[1]);
        return new RecordId(parts[0], parts[1], parts[2]);
    }
}
