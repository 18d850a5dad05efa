namespace TinyTorch.Kernels;

/// <summary>
/// The one argmax rule of the library, PyTorch's on CPU: the first index of the largest value, where +0 and −0 tie (so
/// the first of them wins) and a NaN beats every number (the first NaN wins). Shared by <see cref="Tensor.Max"/> and
/// <see cref="Nn.MlpWorkspace.ArgMax(ReadOnlySpan{float})"/>, so the greedy action and <c>q.max(1)</c> agree.
/// TensorPrimitives.IndexOfMax ranks +0 above −0, which is why it is not used.
/// </summary>
internal static class ArgMax
{
    /// <summary>
    /// argmaxⱼ values[start + j·stride] over j &lt; <paramref name="count"/> (count ≥ 1): the elements compared may be
    /// <paramref name="stride"/> apart, as along a tensor dimension that is not the last.
    /// </summary>
    public static int Of(ReadOnlySpan<float> values, int start, int count, int stride)
    {
        float best = values[start];
        int arg = 0;
        for (int j = 1; j < count && !float.IsNaN(best); j++)
        {
            float v = values[start + j * stride];
            // strictly greater: a tie (including +0 against −0) keeps the earlier index
            if (v > best || float.IsNaN(v))
            {
                best = v;
                arg = j;
            }
        }
        return arg;
    }
}
