using System.Text.Json;
using RecordKv.Atproto.Crypto;
using RecordKv.Simulator.Generation;
using SimpleBase;

namespace RecordKv.Simulator.Http;

/// <summary>
/// Writes the DID documents the simulator serves: the current form (<c>Multikey</c>), or for some did:plc accounts
/// the legacy form a real PLC directory still serves (<c>EcdsaSecp256k1VerificationKey2019</c> /
/// <c>EcdsaSecp256r1VerificationKey2019</c> with an uncompressed, unprefixed base58btc key). Each names the simulator
/// as the account's PDS.
/// </summary>
internal static class DidDocumentWriter
{
    public static void WriteDocument(Utf8JsonWriter writer, SimAccount account, AccountState state, string pdsEndpoint)
    {
        var key = state.Signer.PublicKey;
        writer.WriteStartObject();
        writer.WriteStartArray("@context");
        writer.WriteStringValue("https://www.w3.org/ns/did/v1");
        writer.WriteStringValue("https://w3id.org/security/multikey/v1");
        if (account.LegacyKeyForm)
        {
            writer.WriteStringValue(key.Algorithm == KeyAlgorithm.K256 ? "https://w3id.org/security/suites/secp256k1-2019/v1" : "https://w3id.org/security/suites/ecdsa-2019/v1");
        }

        writer.WriteEndArray();
        writer.WriteString("id", state.Did);
        writer.WriteStartArray("alsoKnownAs");
        writer.WriteStringValue("at://" + state.Handle);
        writer.WriteEndArray();
        writer.WriteStartArray("verificationMethod");
        writer.WriteStartObject();
        writer.WriteString("id", state.Did + "#atproto");
        if (account.LegacyKeyForm)
        {
            writer.WriteString("type", key.Algorithm == KeyAlgorithm.K256 ? "EcdsaSecp256k1VerificationKey2019" : "EcdsaSecp256r1VerificationKey2019");
            writer.WriteString("controller", state.Did);
            writer.WriteString("publicKeyMultibase", "z" + Base58.Bitcoin.Encode(key.ToUncompressedPoint()));
        }
        else
        {
            writer.WriteString("type", "Multikey");
            writer.WriteString("controller", state.Did);
            writer.WriteString("publicKeyMultibase", key.ToMultikey());
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartArray("service");
        writer.WriteStartObject();
        writer.WriteString("id", "#atproto_pds");
        writer.WriteString("type", "AtprotoPersonalDataServer");
        writer.WriteString("serviceEndpoint", pdsEndpoint);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The PLC directory's <c>/{did}/data</c> form: the operation data behind the document.</summary>
    public static void WritePlcData(Utf8JsonWriter writer, AccountState state, string pdsEndpoint)
    {
        writer.WriteStartObject();
        writer.WriteString("did", state.Did);
        writer.WriteStartObject("verificationMethods");
        writer.WriteString("atproto", state.Signer.PublicKey.ToDidKey());
        writer.WriteEndObject();
        writer.WriteStartArray("rotationKeys");
        writer.WriteStringValue(state.Signer.PublicKey.ToDidKey());
        writer.WriteEndArray();
        writer.WriteStartArray("alsoKnownAs");
        writer.WriteStringValue("at://" + state.Handle);
        writer.WriteEndArray();
        writer.WriteStartObject("services");
        writer.WriteStartObject("atproto_pds");
        writer.WriteString("type", "AtprotoPersonalDataServer");
        writer.WriteString("endpoint", pdsEndpoint);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
