namespace RecordKv.RunScript.Tests;

/// <summary>A node of the YAML subset the deployment files use: a scalar, a mapping or a sequence.</summary>
internal sealed class YamlNode
{
    /// <summary>The scalar value (quotes removed), or null for a mapping or sequence.</summary>
    public string? Value { get; set; }

    /// <summary>The mapping's entries in file order.</summary>
    public Dictionary<string, YamlNode> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>The sequence's items.</summary>
    public List<YamlNode> Items { get; } = [];

    /// <summary>The child at <paramref name="key"/>, failing with the key's name when absent.</summary>
    public YamlNode this[string key] => Children.TryGetValue(key, out var child) ? child : throw new KeyNotFoundException($"no '{key}' in the mapping (keys: {string.Join(", ", Children.Keys)})");

    /// <summary>The scalar values of a sequence.</summary>
    public IEnumerable<string> ItemValues => Items.Select(i => i.Value ?? throw new FormatException("a sequence item is not a scalar"));
}
