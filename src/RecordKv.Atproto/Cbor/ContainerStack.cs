using System.Runtime.CompilerServices;

namespace RecordKv.Atproto.Cbor;

/// <summary>The fixed-capacity stack of open containers a <see cref="DagCborReader"/> carries inline.</summary>
[InlineArray(DagCborReaderOptions.MaxSupportedDepth)]
internal struct ContainerStack
{
    private ContainerFrame _element;
}
