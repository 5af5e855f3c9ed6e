namespace RecordKv.Atproto.Mst;

/// <summary>A commit's operations cannot be inverted on the tree it carries: an operation does not match the tree's content.</summary>
public sealed class MstInversionException : MstException
{
    /// <summary>Creates the exception for the operation at <paramref name="operationIndex"/>.</summary>
    public MstInversionException(int operationIndex, MstOperation operation, string message)
        : base($"Operation {operationIndex} ({operation.Action} {operation.Key}): {message}")
    {
        OperationIndex = operationIndex;
        Operation = operation;
    }

    /// <summary>The index of the operation in the commit.</summary>
    public int OperationIndex { get; }

    /// <summary>The operation that does not fit.</summary>
    public MstOperation Operation { get; }
}
