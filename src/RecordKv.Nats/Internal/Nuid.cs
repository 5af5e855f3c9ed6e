using System.Security.Cryptography;

namespace RecordKv.Nats.Internal;

/// <summary>Random unique tokens for inbox subjects: 22 base62 characters (about 131 bits).</summary>
internal static class Nuid
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Next() => RandomNumberGenerator.GetString(Alphabet, 22);
}
