namespace Freshet.Kafka.Protocol.Generator.Tests;

/// <summary>A schema mistake is reported as error FKP001 at its file and line, and its file generates nothing.</summary>
public class SchemaDiagnosticsTests
{
    private const string Header = """
        api Heartbeat key=12 versions=0-4 flexible=4+
        request ProbeRequest
          doc A probe request.
          field GroupId string : The group.

        """;

    private const string Response = """

        response ProbeResponse
          doc A probe response.
          field ErrorCode int16 : The error.
        """;

    [Theory]
    [InlineData("  field Count int32 versions=5+ : Out of range.", "none of which the codec implements")]
    [InlineData("  field Count int33 : Bad type.", "Unknown type 'int33'")]
    [InlineData("  field Count int32", "needs a doc")]
    [InlineData("  field GroupId string : Twice.", "already has a field named GroupId")]
    [InlineData("  field Note string tag=0 versions=0+ : Tagged before flexible.", "tagged fields exist only in flexible versions")]
    [InlineData("  field Count int32 default=70000x : Not a number.", "is not an integer")]
    [InlineData("  field Count int8 default=300 : Too big.", "does not fit in int8")]
    [InlineData("  field Count int32 nullable=0+ : Nullable int.", "Only strings, bytes, records, structs and arrays can be nullable")]
    [InlineData("  field Items []Missing : An undefined struct.", "no struct of that name is defined")]
    [InlineData("  field Name string default=null : Null default, never nullable.", "defaults to null but is nullable in no version")]
    [InlineData("  field Count int32 colour=red : Unknown attribute.", "Unknown attribute 'colour'")]
    [InlineData("    field Count int32 : Indented too far.", "Inconsistent indentation")]
    public void Generate_SchemaMistake_ReportsItsFileAndLine(string badLine, string message)
    {
        var run = GeneratorRun.Of(("/schemas/Probe.schema", Header + badLine + "\n" + Response));

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("FKP001", diagnostic.Id);
        Assert.Contains(message, diagnostic.GetMessage(), StringComparison.Ordinal);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("/schemas/Probe.schema", span.Path);
        Assert.Equal(Header.Split('\n').Length - 1, span.StartLinePosition.Line);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Generate_MissingResponse_ReportsError()
    {
        var run = GeneratorRun.Of(("/schemas/Probe.schema", Header));

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Contains("needs both a 'request <ClassName>' and a 'response <ClassName>'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_ValidSchemaWithEveryFeature_CompilesWithoutWarnings()
    {
        const string schema = """
            # Every construct of the format once.
            api Heartbeat key=12 versions=0-5 flexible=4+
            request ProbeRequest
              doc A probe request.
              const Magic int16 7 : A well-known value.
              field GroupId string : The group.
              field Generation int32 versions=1+ default=-1 : The generation.
              field Instance string versions=3+ nullable=3+ default=null : The instance.
              field Name string nullable=5+ : Nullable from v5 only.
              field Ids []int32 nullable=2+ : Ids.
              field Offsets []int64 : Offsets.
              field Names []string versions=0-2 : Names.
              field Data bytes : Data.
              field Records records : Records.
              field Id uuid versions=2+ : An id.
              field Ratio float64 default=0.5 : A ratio.
              field Port uint16 : A port.
              field Flag bool default=true : A flag.
              field Items []ProbeItem : Items.
                doc One item.
                field Key string : The key.
                field Inner ProbeInner tag=1 versions=4+ : An inner struct, tagged.
                  doc An inner struct.
                  field A int32 default=-1 : A.
              field Shared []ProbeShared versions=4+ : Shared.
              field Cluster string tag=0 versions=4+ nullable=4+ default=null : A tagged string.
              field Epoch int64 tag=2 versions=5+ default=-1 : A tagged number.
            response ProbeResponse
              doc A probe response.
              field ErrorCode int16 : The error.
              field More []ProbeShared : More.
              field Assignment ProbeShared nullable=0+ default=null : A nullable struct.
              field Sometimes ProbeShared nullable=3+ : A struct nullable from v3.
            struct ProbeShared
              doc A struct two fields use.
              field Value int8 : The value.
            """;

        var run = GeneratorRun.Of(("/schemas/Probe.schema", schema));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        Assert.Equal(
            ["Probe.ProbeInner.g.cs", "Probe.ProbeItem.g.cs", "Probe.ProbeRequest.g.cs", "Probe.ProbeResponse.g.cs", "Probe.ProbeShared.g.cs"],
            run.Sources.Select(s => s.HintName).Order());
    }
}
