using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>The DNS label rules handles and NSID authorities share: between the dots, 1 to 63 characters not starting or ending with '-'.</summary>
internal static class DomainLabels
{
    /// <summary>The longest label, in characters.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Checks every label of <paramref name="text"/> (whose characters the caller has already checked) and counts them.</summary>
    /// <param name="text">Labels separated by single dots, without a leading or trailing dot.</param>
    /// <param name="labels">The number of labels checked before the first problem (all of them when there is none).</param>
    public static DomainLabelProblem Check<T>(ReadOnlySpan<T> text, out int labels)
        where T : unmanaged, IBinaryInteger<T>
    {
        labels = 0;
        var start = 0;
        while (true)
        {
            var dot = start == text.Length ? -1 : SyntaxChars.IndexOf(text, '.', start);
            var end = dot < 0 ? text.Length : dot;
            var length = end - start;
            if (length == 0)
            {
                return DomainLabelProblem.EmptyLabel;
            }

            if (length > MaxLabelLength)
            {
                return DomainLabelProblem.LabelTooLong;
            }

            if (SyntaxChars.Code(text[start]) == '-' || SyntaxChars.Code(text[end - 1]) == '-')
            {
                return DomainLabelProblem.HyphenAtLabelEdge;
            }

            labels++;
            if (dot < 0)
            {
                return DomainLabelProblem.None;
            }

            start = dot + 1;
        }
    }
}
