namespace RecordKv.Atproto.Mst;

/// <summary>Base type of the errors the Merkle search tree reports.</summary>
public abstract class MstException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    protected MstException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    protected MstException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
