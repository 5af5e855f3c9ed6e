namespace RecordKv.Builder;

/// <summary>Which collections the builder stores: exact NSIDs or prefixes written with a trailing <c>*</c>; empty stores all.</summary>
internal sealed class CollectionFilter
{
    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly List<string> _prefixes = [];

    public CollectionFilter(IReadOnlyList<string> entries)
    {
        foreach (var entry in entries)
        {
            var trimmed = entry.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (trimmed.EndsWith('*'))
            {
                _prefixes.Add(trimmed[..^1]);
            }
            else
            {
                _exact.Add(trimmed);
            }
        }

        IsAll = _exact.Count == 0 && _prefixes.Count == 0;
    }

    /// <summary>Whether every collection is stored.</summary>
    public bool IsAll { get; }

    public bool Includes(string collection)
    {
        if (IsAll || _exact.Contains(collection))
        {
            return true;
        }

        foreach (var prefix in _prefixes)
        {
            if (collection.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
