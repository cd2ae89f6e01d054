using System.Diagnostics;

namespace Freshet.Bench.Log;

/// <summary>
/// The raw-disk baselines of the log suite: the same bytes written with a plain unbuffered
/// <see cref="FileStream"/> loop, and read back with <see cref="RandomAccess"/> in fixed chunks.
/// No validation, no offsets, no indexes: the cost of the I/O alone.
/// </summary>
internal static class RawFile
{
    /// <summary>
    /// Writes the workload's batch <see cref="LogWorkload.BatchCount"/> times to a new file. With
    /// <paramref name="fsyncEveryBytes"/> above zero, fsyncs whenever that many bytes are unflushed,
    /// the rule <c>FlushPolicy.Bytes</c> follows.
    /// </summary>
    public static TimeSpan Write(string path, LogWorkload workload, long fsyncEveryBytes)
    {
        // bufferSize 0: every Write goes straight to write(2), as the log's positional writes do.
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var batch = workload.Batch;
        long unflushed = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < workload.BatchCount; i++)
        {
            file.Write(batch);
            unflushed += batch.Length;
            if (fsyncEveryBytes > 0 && unflushed >= fsyncEveryBytes)
            {
                file.Flush(flushToDisk: true);
                unflushed = 0;
            }
        }

        var elapsed = clock.Elapsed;
        SyncLikeLogClose(file);
        return elapsed;
    }

    /// <summary>
    /// Untimed: fsyncs what is left, as closing a log store does, so that both sides leave the disk
    /// in the same state (no dirty pages, the same blocks to free) for the next measurement.
    /// </summary>
    private static void SyncLikeLogClose(FileStream file) => file.Flush(flushToDisk: true);

    /// <summary>Writes the workload split over <paramref name="files"/> files, one writer thread each.</summary>
    public static TimeSpan WriteParallel(string directory, LogWorkload workload, int files)
    {
        var perWriter = workload.BatchCount / files;
        var streams = new FileStream[files];
        for (var i = 0; i < files; i++)
        {
            streams[i] = new FileStream(Path.Combine(directory, $"raw-{i}.bin"), FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        }

        try
        {
            var elapsed = Parallelism.RunWriters(files, writer =>
            {
                var file = streams[writer];
                var batch = workload.Batch;
                return () =>
                {
                    for (var i = 0; i < perWriter; i++)
                    {
                        file.Write(batch);
                    }
                };
            });
            foreach (var stream in streams)
            {
                SyncLikeLogClose(stream);
            }

            return elapsed;
        }
        finally
        {
            foreach (var stream in streams)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>
    /// Reads the file from start to end in chunks of <paramref name="chunkBytes"/>, <paramref name="passes"/> times:
    /// into one reused buffer, or with <paramref name="freshBuffers"/> into a new array per chunk, as an
    /// API that hands each chunk to its caller must (this isolates the cost of that allocation).
    /// </summary>
    public static TimeSpan ReadAll(string path, int chunkBytes, int passes, out long bytesRead, bool freshBuffers = false)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = GC.AllocateUninitializedArray<byte>(chunkBytes);
        var length = RandomAccess.GetLength(handle);
        bytesRead = 0;
        var clock = Stopwatch.StartNew();
        for (var pass = 0; pass < passes; pass++)
        {
            long position = 0;
            while (position < length)
            {
                if (freshBuffers)
                {
                    buffer = GC.AllocateUninitializedArray<byte>(chunkBytes);
                }

                var n = RandomAccess.Read(handle, buffer, position);
                if (n == 0)
                {
                    break;
                }

                position += n;
            }

            bytesRead += position;
        }

        return clock.Elapsed;
    }
}
