// kafkajs ships gzip only; these register pure-JavaScript snappy, LZ4 (frame format, as Kafka uses)
// and zstd codecs so the suite can produce and consume with every codec Kafka defines.
import kafkajs from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import lz4 from 'lz4js';
import zstdCodec from 'zstd-codec';

const { CompressionTypes, CompressionCodecs } = kafkajs;

export async function registerCodecs() {
  CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    async compress(encoder) { return Buffer.from(lz4.compress(encoder.buffer)); },
    async decompress(buffer) { return Buffer.from(lz4.decompress(buffer)); },
  });
  const zstd = await new Promise((resolve) => zstdCodec.ZstdCodec.run((z) => resolve(z)));
  const simple = new zstd.Simple();
  CompressionCodecs[CompressionTypes.ZSTD] = () => ({
    async compress(encoder) { return Buffer.from(simple.compress(encoder.buffer)); },
    async decompress(buffer) { return Buffer.from(simple.decompress(buffer)); },
  });
}
