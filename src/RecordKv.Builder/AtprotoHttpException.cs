using System.Net;

namespace RecordKv.Builder;

/// <summary>An HTTP fetch (DID document, getRepo) failed after its retries.</summary>
public sealed class AtprotoHttpException : Exception
{
    public AtprotoHttpException(string message, Uri? uri = null, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Uri = uri;
        StatusCode = statusCode;
    }

    public AtprotoHttpException()
    {
    }

    public AtprotoHttpException(string message)
        : base(message)
    {
    }

    public AtprotoHttpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The requested address.</summary>
    public Uri? Uri { get; }

    /// <summary>The last status code, when a response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }
}
