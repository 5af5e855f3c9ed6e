using System.Text.Json;
using RecordKv.Simulator.Generation;

namespace RecordKv.Simulator.Http;

/// <summary>
/// Writes one line of <c>/_sim/expected</c>: an account's status, rev, data and commit CIDs, and every record a
/// consumer that follows the firehose (resyncing from getRepo when a fault breaks the chain) must end up with.
/// Deleted accounts list no records; deactivated and taken-down ones list theirs with <c>active: false</c>.
/// </summary>
internal static class ExpectedWriter
{
    public static void WriteAccount(Utf8JsonWriter writer, AccountState state)
    {
        writer.WriteStartObject();
        writer.WriteString("did", state.Did);
        writer.WriteString("handle", state.Handle);
        writer.WriteString("status", state.StatusText ?? "active");
        writer.WriteBoolean("active", state.IsActive);
        writer.WriteString("rev", state.Rev);
        writer.WriteString("data", state.Tree.RootCid.ToString());
        writer.WriteString("commit", state.CommitCid.ToString());
        writer.WriteString("signingKey", state.Signer.PublicKey.ToDidKey());
        writer.WriteStartArray("records");
        if (state.Status != AccountStatus.Deleted)
        {
            foreach (var (key, record) in state.Records)
            {
                writer.WriteStartObject();
                writer.WriteString("uri", $"at://{state.Did}/{key}");
                writer.WriteString("cid", record.Cid.ToString());
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
