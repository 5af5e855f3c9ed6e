namespace RecordKv.Atproto.Firehose;

/// <summary>Checks that a revision is a TID: 13 base32-sortable characters, top bit zero.</summary>
internal static class RevisionTid
{
    public const int Length = 13;

    // TIDs sort as strings because the alphabet is in ASCII order, so revisions compare ordinally.
    public static bool IsValid(string? text)
    {
        if (text is null || text.Length != Length)
        {
            return false;
        }

        // The first character carries the top bit of the 64-bit value, which must be zero: '2'..'7' or 'a'..'j'.
        var first = text[0];
        if (!((first >= '2' && first <= '7') || (first >= 'a' && first <= 'j')))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!((c >= '2' && c <= '7') || (c >= 'a' && c <= 'z')))
            {
                return false;
            }
        }

        return true;
    }

    public static int Compare(string left, string right) => string.CompareOrdinal(left, right);
}
