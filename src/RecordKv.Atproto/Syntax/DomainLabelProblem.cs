namespace RecordKv.Atproto.Syntax;

/// <summary>What <see cref="DomainLabels.Check"/> found wrong with a dot-separated run of DNS labels.</summary>
internal enum DomainLabelProblem
{
    /// <summary>Every label is fine.</summary>
    None,

    /// <summary>A label is empty: a leading, trailing or doubled '.'.</summary>
    EmptyLabel,

    /// <summary>A label is longer than 63 characters.</summary>
    LabelTooLong,

    /// <summary>A label starts or ends with '-'.</summary>
    HyphenAtLabelEdge,
}
