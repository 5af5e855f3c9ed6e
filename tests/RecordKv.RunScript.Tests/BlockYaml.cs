namespace RecordKv.RunScript.Tests;

/// <summary>
/// Parses the YAML subset docker compose files commonly use: block mappings (<c>key:</c>, <c>key: value</c>), block
/// sequences (<c>- item</c>), flow mappings and sequences on one line (<c>{ a: b }</c>, <c>[a, "b"]</c>), quoted
/// scalars, comments, two-space indents. Anything else is a <see cref="FormatException"/> naming the line.
/// </summary>
internal static class BlockYaml
{
    public static YamlNode Parse(IEnumerable<string> lines)
    {
        var root = new YamlNode();
        var stack = new Stack<(int Indent, YamlNode Node)>();
        stack.Push((-1, root));
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            if (raw.Contains('\t', StringComparison.Ordinal))
            {
                throw new FormatException($"line {number}: tab");
            }

            var text = StripComment(raw).TrimEnd();
            if (text.Trim().Length == 0)
            {
                continue;
            }

            var indent = text.Length - text.TrimStart().Length;
            if (indent % 2 != 0)
            {
                throw new FormatException($"line {number}: odd indent");
            }

            while (stack.Peek().Indent >= indent)
            {
                stack.Pop();
            }

            var parent = stack.Peek().Node;
            var content = text.TrimStart();
            if (content.StartsWith("- ", StringComparison.Ordinal))
            {
                if (parent.Children.Count > 0)
                {
                    throw new FormatException($"line {number}: sequence item inside a mapping");
                }

                parent.Items.Add(ParseFlow(content[2..].Trim(), number));
                continue;
            }

            if (parent.Items.Count > 0 || parent.Value is not null)
            {
                throw new FormatException($"line {number}: mapping entry where a sequence or scalar is");
            }

            var colon = content.IndexOf(": ", StringComparison.Ordinal) is >= 0 and var at ? at : (content.EndsWith(':') ? content.Length - 1 : -1);
            if (colon <= 0)
            {
                throw new FormatException($"line {number}: expected 'key:' or 'key: value'");
            }

            var rest = content[(colon + 1)..].Trim();
            var node = rest.Length > 0 ? ParseFlow(rest, number) : new YamlNode();
            if (!parent.Children.TryAdd(content[..colon], node))
            {
                throw new FormatException($"line {number}: duplicate key '{content[..colon]}'");
            }

            stack.Push((indent, node));
        }

        return root;
    }

    private static YamlNode ParseFlow(string text, int line)
    {
        if (text.StartsWith('{'))
        {
            if (!text.EndsWith('}'))
            {
                throw new FormatException($"line {line}: unclosed '{{'");
            }

            var map = new YamlNode();
            foreach (var part in SplitFlow(text[1..^1], line))
            {
                var colon = part.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || !map.Children.TryAdd(part[..colon].Trim(), ParseFlow(part[(colon + 1)..].Trim(), line)))
                {
                    throw new FormatException($"line {line}: bad flow mapping entry '{part}'");
                }
            }

            return map;
        }

        if (text.StartsWith('['))
        {
            if (!text.EndsWith(']'))
            {
                throw new FormatException($"line {line}: unclosed '['");
            }

            var sequence = new YamlNode();
            foreach (var part in SplitFlow(text[1..^1], line))
            {
                sequence.Items.Add(ParseFlow(part.Trim(), line));
            }

            return sequence;
        }

        if (text.Length >= 2 && (text[0] == '"' || text[0] == '\''))
        {
            if (text[^1] != text[0])
            {
                throw new FormatException($"line {line}: unclosed quote");
            }

            return new YamlNode { Value = text[1..^1] };
        }

        return new YamlNode { Value = text };
    }

    private static List<string> SplitFlow(string text, int line)
    {
        var parts = new List<string>();
        var depth = 0;
        var quote = '\0';
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }

        if (quote != '\0' || depth != 0)
        {
            throw new FormatException($"line {line}: unbalanced flow value");
        }

        if (text[start..].Trim().Length > 0)
        {
            parts.Add(text[start..].Trim());
        }

        return parts;
    }

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }
}
