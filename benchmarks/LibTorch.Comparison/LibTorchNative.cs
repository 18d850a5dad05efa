using System.Buffers.Binary;
using System.Text;
using TinyTorch.IO;

namespace LibTorch.Comparison;

/// <summary>
/// Lets TorchSharp's native glue load on a Linux whose libstdc++ predates GCC 13 (Debian 12 has GLIBCXX_3.4.30).
/// <c>libLibTorchSharp.so</c> of TorchSharp 0.107 was linked by GCC 13 and so requires the symbol version
/// GLIBCXX_3.4.32, for one symbol only: <c>std::ios_base_library_init</c>, which GCC 13's &lt;iostream&gt; names so that
/// the linker pulls in the iostream initialisation, and which no relocation uses (the library writes to no stream; and
/// libtorch_cpu.so, built by an older GCC, initialises the streams itself). The dynamic loader refuses a library whose
/// version requirement it cannot meet unless that requirement is marked weak (VER_FLG_WEAK), so
/// <see cref="EnsureLoadable"/> marks that one requirement weak in the copy of the library in this program's own
/// output folder, never in the NuGet cache. A libstdc++ from GCC 13 on still meets the requirement, weak or not.
/// </summary>
public static class LibTorchNative
{
    private const string Library = "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>
    /// Call before the first use of <c>TorchSharp.torch</c>, and not from the method that uses it (the JIT may run the
    /// type's initializer, which loads the library, on entering a method that uses it; put that use in a method marked
    /// <see cref="System.Runtime.CompilerServices.MethodImplOptions.NoInlining"/>): on Linux, marks the GLIBCXX_3.4.32 requirement of the
    /// <c>libLibTorchSharp.so</c> beside TorchSharp.dll weak (once; later calls find it done). Elsewhere it does nothing.
    /// </summary>
    public static void EnsureLoadable()
    {
        if (!OperatingSystem.IsLinux())
            return;
        string folder = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) ?? AppContext.BaseDirectory;
        foreach (string path in new[] { Path.Combine(folder, "runtimes", "linux-x64", "native", Library), Path.Combine(folder, Library) })
        {
            if (!File.Exists(path))
                continue;
            byte[] elf = File.ReadAllBytes(path);
            if (MarkWeak(elf, MissingVersion))
                AtomicFile.WriteAllBytes(path, elf);
        }
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on every requirement of symbol version <paramref name="version"/> in the ELF64
    /// little-endian shared library <paramref name="elf"/> (its .gnu.version_r section). Returns whether a flag changed;
    /// a file that is no such library, or has no such requirement, is left as it is.
    /// </summary>
    public static bool MarkWeak(Span<byte> elf, string version)
    {
        // e_ident: "\x7fELF", class 2 (64-bit), data 1 (little-endian)
        if (elf.Length < 64 || !elf[..4].SequenceEqual("\u007fELF"u8) || elf[4] != 2 || elf[5] != 1)
            return false;
        ulong sectionsAt = BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        int sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        bool changed = false;
        for (int s = 0; s < sectionCount; s++)
        {
            Span<byte> section = elf.Slice(checked((int)sectionsAt + s * sectionSize), sectionSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(section[4..]) != ShtGnuVerneed)
                continue;
            int entriesAt = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(section[24..]));
            int entries = (int)BinaryPrimitives.ReadUInt32LittleEndian(section[44..]);
            // sh_link: the string table the version names are in
            int linked = (int)BinaryPrimitives.ReadUInt32LittleEndian(section[40..]);
            int stringsAt = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf[checked((int)sectionsAt + linked * sectionSize + 24)..]));
            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32 (one per needed library)
            int need = entriesAt;
            for (int e = 0; e < entries; e++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32 (one per version)
                int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    int nameAt = stringsAt + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]);
                    int nameLength = elf[nameAt..].IndexOf((byte)0);
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(elf[(aux + 4)..]);
                    if (Encoding.ASCII.GetString(elf.Slice(nameAt, nameLength)) == version && (flags & VerFlagWeak) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(elf[(aux + 4)..], (ushort)(flags | VerFlagWeak));
                        changed = true;
                    }
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
                }
                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
            }
        }
        return changed;
    }
}
