namespace Freshet.Nexmark;

/// <summary>
/// The Nexmark source table, its three views and queries q0–q22 in Flink SQL, written after the nexmark project's
/// Flink queries (nexmark-flink/src/main/resources/queries; q4 and q5 back-quote `dateTime` as the newer versions do),
/// as close to them as Freshet's dialect allows: q11 uses the SESSION window table function instead of the legacy
/// group window, q13's side input is a 'filesystem' table instead of the legacy connector properties, and q14's
/// count_char is a C# function (<see cref="CountChar"/>) instead of a Java class.
/// One copy for the SQL parser and binder tests (Freshet.Sql.Tests) and the end-to-end checks against the LINQ
/// reference (Freshet.Nexmark.Tests). <see cref="NexmarkJsonLogWriter"/> writes events in the form the source table reads.
/// </summary>
public static class NexmarkSql
{
    /// <summary>The source table's topic in <see cref="SourceTable"/>.</summary>
    public const string Topic = "nexmark";

    /// <summary>The source table <c>nexmark</c>: one JSON record per event on the topic <see cref="Topic"/>, its kind in
    /// <c>event_type</c> (0 person, 1 auction, 2 bid) and the event in the ROW of that kind (the other two NULL);
    /// <c>dateTime</c>, the event time, is the rowtime with a 4-second bounded delay.</summary>
    public const string SourceTable = """
        CREATE TABLE nexmark (
            event_type INT,
            person ROW<
                id BIGINT,
                name VARCHAR,
                emailAddress VARCHAR,
                creditCard VARCHAR,
                city VARCHAR,
                state VARCHAR,
                dateTime TIMESTAMP(3),
                extra VARCHAR>,
            auction ROW<
                id BIGINT,
                itemName VARCHAR,
                description VARCHAR,
                initialBid BIGINT,
                reserve BIGINT,
                dateTime TIMESTAMP(3),
                expires TIMESTAMP(3),
                seller BIGINT,
                category BIGINT,
                extra VARCHAR>,
            bid ROW<
                auction BIGINT,
                bidder BIGINT,
                price BIGINT,
                channel VARCHAR,
                url VARCHAR,
                dateTime TIMESTAMP(3),
                extra VARCHAR>,
            dateTime AS
                CASE
                    WHEN event_type = 0 THEN person.dateTime
                    WHEN event_type = 1 THEN auction.dateTime
                    ELSE bid.dateTime
                END,
            WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
        ) WITH (
            'connector' = 'freshet-log',
            'topic' = 'nexmark',
            'format' = 'json'
        );
        """;

    /// <summary>The views <c>person</c>, <c>auction</c> and <c>bid</c> over <c>nexmark</c>, one per event kind.</summary>
    public const string Views = """
        CREATE VIEW person AS
        SELECT
            person.id,
            person.name,
            person.emailAddress,
            person.creditCard,
            person.city,
            person.state,
            dateTime,
            person.extra
        FROM nexmark WHERE event_type = 0;

        CREATE VIEW auction AS
        SELECT
            auction.id,
            auction.itemName,
            auction.description,
            auction.initialBid,
            auction.reserve,
            dateTime,
            auction.expires,
            auction.seller,
            auction.category,
            auction.extra
        FROM nexmark WHERE event_type = 1;

        CREATE VIEW bid AS
        SELECT
            bid.auction,
            bid.bidder,
            bid.price,
            bid.channel,
            bid.url,
            dateTime,
            bid.extra
        FROM nexmark WHERE event_type = 2;
        """;

    /// <summary>The scripts of q0–q22 by name ("q0" … "q22"): each a sink table named <c>nexmark_qN</c> (a blackhole,
    /// except q10's partitioned filesystem table) and an <c>INSERT INTO nexmark_qN</c> of the query. Statements a
    /// script needs before it are in <see cref="Setup"/>.</summary>
    public static IReadOnlyDictionary<string, string> Queries { get; } = new Dictionary<string, string>
    {
        {
            "q0", """
            -- Pass through: measures the monitoring overhead.
            CREATE TABLE nexmark_q0 (
              auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), extra VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q0
            SELECT auction, bidder, price, dateTime, extra FROM bid;
            """
        },
        {
            "q1", """
            -- Currency conversion: bid prices from dollars to euros.
            CREATE TABLE nexmark_q1 (
              auction BIGINT, bidder BIGINT, price DECIMAL(23, 3), dateTime TIMESTAMP(3), extra VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q1
            SELECT
                auction,
                bidder,
                0.908 * price as price, -- convert dollar to euro
                dateTime,
                extra
            FROM bid;
            """
        },
        {
            "q2", """
            -- Selection: bids on a set of auctions.
            CREATE TABLE nexmark_q2 (auction BIGINT, price BIGINT) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q2
            SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0;
            """
        },
        {
            "q3", """
            -- Local item suggestion: people selling in some states in one category.
            CREATE TABLE nexmark_q3 (name VARCHAR, city VARCHAR, state VARCHAR, id BIGINT) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q3
            SELECT
                P.name, P.city, P.state, A.id
            FROM
                auction AS A INNER JOIN person AS P on A.seller = P.id
            WHERE
                A.category = 10 and (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
            """
        },
        {
            "q4", """
            -- Average price for a category: the average of the winning bids per category.
            CREATE TABLE nexmark_q4 (id BIGINT, final BIGINT) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q4
            SELECT
                Q.category,
                AVG(Q.final)
            FROM (
                SELECT MAX(B.price) AS final, A.category
                FROM auction A, bid B
                WHERE A.id = B.auction AND B.`dateTime` BETWEEN A.`dateTime` AND A.expires
                GROUP BY A.id, A.category
            ) Q
            GROUP BY Q.category;
            """
        },
        {
            "q5", """
            -- Hot items: the auctions with the most bids in each sliding window.
            CREATE TABLE nexmark_q5 (auction BIGINT, num BIGINT) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q5
            SELECT AuctionBids.auction, AuctionBids.num
             FROM (
               SELECT
                 auction,
                 count(*) AS num,
                 window_start AS starttime,
                 window_end AS endtime
                 FROM TABLE(
                         HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
                 GROUP BY auction, window_start, window_end
             ) AS AuctionBids
             JOIN (
               SELECT
                 max(CountBids.num) AS maxn,
                 CountBids.starttime,
                 CountBids.endtime
               FROM (
                 SELECT
                   count(*) AS num,
                   window_start AS starttime,
                   window_end AS endtime
                 FROM TABLE(
                            HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
                 GROUP BY auction, window_start, window_end
                 ) AS CountBids
               GROUP BY CountBids.starttime, CountBids.endtime
             ) AS MaxBids
             ON AuctionBids.starttime = MaxBids.starttime AND
                AuctionBids.endtime = MaxBids.endtime AND
                AuctionBids.num >= MaxBids.maxn;
            """
        },
        {
            "q6", """
            -- Average selling price by seller: over the last 10 closed auctions of each seller.
            CREATE TABLE nexmark_q6 (seller VARCHAR, avg_price BIGINT) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q6
            SELECT
                Q.seller,
                AVG(Q.final) OVER
                    (PARTITION BY Q.seller ORDER BY Q.dateTime ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)
            FROM (
                SELECT MAX(B.price) AS final, A.seller, B.dateTime
                FROM auction AS A, bid AS B
                WHERE A.id = B.auction and B.dateTime between A.dateTime and A.expires
                GROUP BY A.id, A.seller
            ) AS Q;
            """
        },
        {
            "q7", """
            -- Highest bid: the highest bid in each tumbling window.
            CREATE TABLE nexmark_q7 (
              auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), extra VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q7
            SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra
            from bid B
            JOIN (
              SELECT MAX(price) AS maxprice, window_end as dateTime
              FROM TABLE(
                      TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
              GROUP BY window_start, window_end
            ) B1
            ON B.price = B1.maxprice
            WHERE B.dateTime BETWEEN B1.dateTime  - INTERVAL '10' SECOND AND B1.dateTime;
            """
        },
        {
            "q8", """
            -- Monitor new users: people who opened an auction in the window they registered in.
            CREATE TABLE nexmark_q8 (id BIGINT, name VARCHAR, stime TIMESTAMP(3)) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q8
            SELECT P.id, P.name, P.starttime
            FROM (
              SELECT id, name,
                     window_start AS starttime,
                     window_end AS endtime
              FROM TABLE(
                         TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
              GROUP BY id, name, window_start, window_end
            ) P
            JOIN (
              SELECT seller,
                     window_start AS starttime,
                     window_end AS endtime
              FROM TABLE(
                         TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
              GROUP BY seller, window_start, window_end
            ) A
            ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime;
            """
        },
        {
            "q9", """
            -- Winning bids: the highest bid of each auction among the bids between its start and its expiry, the earliest
            -- of equal bids (ROW_NUMBER Top-1 over a regular join).
            CREATE TABLE nexmark_q9 (
              id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT, `dateTime` TIMESTAMP(3),
              expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra VARCHAR, auction BIGINT, bidder BIGINT,
              price BIGINT, bid_dateTime TIMESTAMP(3), bid_extra VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q9
            SELECT
                id, itemName, description, initialBid, reserve, `dateTime`, expires, seller, category, extra,
                auction, bidder, price, bid_dateTime, bid_extra
            FROM (
               SELECT A.*, B.auction, B.bidder, B.price, B.`dateTime` AS bid_dateTime, B.extra AS bid_extra,
                 ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.`dateTime` ASC) AS rownum
               FROM auction A, bid B
               WHERE A.id = B.auction AND B.`dateTime` BETWEEN A.`dateTime` AND A.expires
            )
            WHERE rownum <= 1;
            """
        },
        {
            "q10", """
            -- Log to file system: every bid into a filesystem sink partitioned by day and minute (the original's path is
            -- ${NEXMARK_DIR}/data/output/${SUBMIT_TIME}/bid/; here a placeholder the caller replaces).
            CREATE TABLE nexmark_q10 (
              auction BIGINT, bidder BIGINT, price BIGINT, `dateTime` TIMESTAMP(3), extra VARCHAR, dt STRING, hm STRING
            ) PARTITIONED BY (dt, hm) WITH (
              'connector' = 'filesystem',
              'path' = 'file://${NEXMARK_Q10_DIR}/bid/',
              'format' = 'csv',
              'sink.partition-commit.trigger' = 'partition-time',
              'sink.partition-commit.delay' = '1 min',
              'sink.partition-commit.policy.kind' = 'success-file',
              'partition.time-extractor.timestamp-pattern' = '$dt $hm:00',
              'sink.rolling-policy.rollover-interval' = '1min',
              'sink.rolling-policy.check-interval' = '1min'
            );

            INSERT INTO nexmark_q10
            SELECT auction, bidder, price, `dateTime`, extra, DATE_FORMAT(`dateTime`, 'yyyy-MM-dd'), DATE_FORMAT(`dateTime`, 'HH:mm')
            FROM bid;
            """
        },
        {
            "q11", """
            -- User sessions: the number of bids of each bidder per session (10-second gap). The original uses the legacy
            -- group window GROUP BY B.bidder, SESSION(B.`dateTime`, INTERVAL '10' SECOND) with SESSION_START and
            -- SESSION_END; Freshet has only the window table function, so this is the equivalent SESSION TVF form.
            CREATE TABLE nexmark_q11 (
              bidder BIGINT, bid_count BIGINT, starttime TIMESTAMP(3), endtime TIMESTAMP(3)
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q11
            SELECT
                B.bidder,
                count(*) as bid_count,
                window_start as starttime,
                window_end as endtime
            FROM TABLE(
                    SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND)) B
            GROUP BY B.bidder, window_start, window_end;
            """
        },
        {
            "q12", """
            -- Processing time windows: the number of bids of each bidder per 10-second processing-time window (over the
            -- view B of Setup["q12"], bid with a PROCTIME() column p_time), in the window table function form as the
            -- current original.
            CREATE TABLE nexmark_q12 (
              bidder BIGINT, bid_count BIGINT, starttime TIMESTAMP(3), endtime TIMESTAMP(3)
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q12
            SELECT
                bidder,
                count(*) as bid_count,
                window_start AS starttime,
                window_end AS endtime
            FROM TABLE(
                    TUMBLE(TABLE B, DESCRIPTOR(p_time), INTERVAL '10' SECOND))
            GROUP BY bidder, window_start, window_end;
            """
        },
        {
            "q13", """
            -- Bounded side input join: each bid enriched by a processing-time temporal join with the bounded file table
            -- side_input of Setup["q13"] on mod(auction, 10000).
            CREATE TABLE nexmark_q13 (
              auction BIGINT, bidder BIGINT, price BIGINT, `dateTime` TIMESTAMP(3), `value` VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q13
            SELECT
                B.auction,
                B.bidder,
                B.price,
                B.`dateTime`,
                S.`value`
            FROM (SELECT *, PROCTIME() as p_time FROM bid) B
            JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S
            ON mod(B.auction, 10000) = S.key;
            """
        },
        {
            "q14", """
            -- Calculation: bids in a price range with a time-of-day class and the count of 'c' in extra. The original's
            -- CREATE FUNCTION count_char AS 'com.github.nexmark.flink.udf.CountChar' names a Java class; here count_char
            -- is the C# function NexmarkSql.CountChar, registered by the caller with
            -- SqlEnvironment.CreateTemporarySystemFunction("count_char", NexmarkSql.CountChar).
            CREATE TABLE nexmark_q14 (
                auction BIGINT, bidder BIGINT, price DECIMAL(23, 3), bidTimeType VARCHAR, `dateTime` TIMESTAMP(3),
                extra VARCHAR, c_counts BIGINT
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q14
            SELECT
                auction,
                bidder,
                0.908 * price as price,
                CASE
                    WHEN HOUR(`dateTime`) >= 8 AND HOUR(`dateTime`) <= 18 THEN 'dayTime'
                    WHEN HOUR(`dateTime`) <= 6 OR HOUR(`dateTime`) >= 20 THEN 'nightTime'
                    ELSE 'otherTime'
                END AS bidTimeType,
                `dateTime`,
                extra,
                count_char(extra, 'c') AS c_counts
            FROM bid
            WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;
            """
        },
        {
            "q15", """
            -- Bidding statistics report: per day, the bids, bidders and auctions at three price levels (distinct
            -- aggregates with filters).
            CREATE TABLE nexmark_q15 (
              `day` VARCHAR, total_bids BIGINT, rank1_bids BIGINT, rank2_bids BIGINT, rank3_bids BIGINT,
              total_bidders BIGINT, rank1_bidders BIGINT, rank2_bidders BIGINT, rank3_bidders BIGINT,
              total_auctions BIGINT, rank1_auctions BIGINT, rank2_auctions BIGINT, rank3_auctions BIGINT
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q15
            SELECT
                 DATE_FORMAT(`dateTime`, 'yyyy-MM-dd') as `day`,
                 count(*) AS total_bids,
                 count(*) filter (where price < 10000) AS rank1_bids,
                 count(*) filter (where price >= 10000 and price < 1000000) AS rank2_bids,
                 count(*) filter (where price >= 1000000) AS rank3_bids,
                 count(distinct bidder) AS total_bidders,
                 count(distinct bidder) filter (where price < 10000) AS rank1_bidders,
                 count(distinct bidder) filter (where price >= 10000 and price < 1000000) AS rank2_bidders,
                 count(distinct bidder) filter (where price >= 1000000) AS rank3_bidders,
                 count(distinct auction) AS total_auctions,
                 count(distinct auction) filter (where price < 10000) AS rank1_auctions,
                 count(distinct auction) filter (where price >= 10000 and price < 1000000) AS rank2_auctions,
                 count(distinct auction) filter (where price >= 1000000) AS rank3_auctions
            FROM bid
            GROUP BY DATE_FORMAT(`dateTime`, 'yyyy-MM-dd');
            """
        },
        {
            "q16", """
            -- Channel statistics report: q15 per channel and day, with the latest minute.
            CREATE TABLE nexmark_q16 (
                channel VARCHAR, `day` VARCHAR, `minute` VARCHAR, total_bids BIGINT, rank1_bids BIGINT, rank2_bids BIGINT,
                rank3_bids BIGINT, total_bidders BIGINT, rank1_bidders BIGINT, rank2_bidders BIGINT, rank3_bidders BIGINT,
                total_auctions BIGINT, rank1_auctions BIGINT, rank2_auctions BIGINT, rank3_auctions BIGINT
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q16
            SELECT
                channel,
                DATE_FORMAT(`dateTime`, 'yyyy-MM-dd') as `day`,
                max(DATE_FORMAT(`dateTime`, 'HH:mm')) as `minute`,
                count(*) AS total_bids,
                count(*) filter (where price < 10000) AS rank1_bids,
                count(*) filter (where price >= 10000 and price < 1000000) AS rank2_bids,
                count(*) filter (where price >= 1000000) AS rank3_bids,
                count(distinct bidder) AS total_bidders,
                count(distinct bidder) filter (where price < 10000) AS rank1_bidders,
                count(distinct bidder) filter (where price >= 10000 and price < 1000000) AS rank2_bidders,
                count(distinct bidder) filter (where price >= 1000000) AS rank3_bidders,
                count(distinct auction) AS total_auctions,
                count(distinct auction) filter (where price < 10000) AS rank1_auctions,
                count(distinct auction) filter (where price >= 10000 and price < 1000000) AS rank2_auctions,
                count(distinct auction) filter (where price >= 1000000) AS rank3_auctions
            FROM bid
            GROUP BY channel, DATE_FORMAT(`dateTime`, 'yyyy-MM-dd');
            """
        },
        {
            "q17", """
            -- Auction statistics report: per auction and day, the bids at three price levels and the price statistics.
            CREATE TABLE nexmark_q17 (
              auction BIGINT, `day` VARCHAR, total_bids BIGINT, rank1_bids BIGINT, rank2_bids BIGINT, rank3_bids BIGINT,
              min_price BIGINT, max_price BIGINT, avg_price BIGINT, sum_price BIGINT
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q17
            SELECT
                 auction,
                 DATE_FORMAT(`dateTime`, 'yyyy-MM-dd') as `day`,
                 count(*) AS total_bids,
                 count(*) filter (where price < 10000) AS rank1_bids,
                 count(*) filter (where price >= 10000 and price < 1000000) AS rank2_bids,
                 count(*) filter (where price >= 1000000) AS rank3_bids,
                 min(price) AS min_price,
                 max(price) AS max_price,
                 avg(price) AS avg_price,
                 sum(price) AS sum_price
            FROM bid
            GROUP BY auction, DATE_FORMAT(`dateTime`, 'yyyy-MM-dd');
            """
        },
        {
            "q18", """
            -- Find last bid: the last bid of each bidder on each auction (ROW_NUMBER deduplication).
            CREATE TABLE nexmark_q18 (
                auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, `dateTime` TIMESTAMP(3),
                extra VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q18
            SELECT auction, bidder, price, channel, url, `dateTime`, extra
             FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY `dateTime` DESC) AS rank_number
                   FROM bid)
             WHERE rank_number <= 1;
            """
        },
        {
            "q19", """
            -- Auction top-10 price: the 10 highest bids of each auction (ROW_NUMBER Top-N).
            CREATE TABLE nexmark_q19 (
                auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, `dateTime` TIMESTAMP(3),
                extra VARCHAR, rank_number BIGINT
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q19
            SELECT * FROM
            (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number FROM bid)
            WHERE rank_number <= 10;
            """
        },
        {
            "q20", """
            -- Expand bid with auction: bids with their auction's columns, for auctions in category 10 (a regular join).
            CREATE TABLE nexmark_q20 (
                auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, bid_dateTime TIMESTAMP(3),
                bid_extra VARCHAR, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT,
                auction_dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, auction_extra VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q20
            SELECT
                auction, bidder, price, channel, url, B.`dateTime`, B.extra,
                itemName, description, initialBid, reserve, A.`dateTime`, expires, seller, category, A.extra
            FROM
                bid AS B INNER JOIN auction AS A on B.auction = A.id
            WHERE A.category = 10;
            """
        },
        {
            "q21", """
            -- Add channel id: a channel id from the channel's name or the url's channel_id parameter.
            CREATE TABLE nexmark_q21 (
                auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, channel_id VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q21
            SELECT
                auction, bidder, price, channel,
                CASE
                    WHEN lower(channel) = 'apple' THEN '0'
                    WHEN lower(channel) = 'google' THEN '1'
                    WHEN lower(channel) = 'facebook' THEN '2'
                    WHEN lower(channel) = 'baidu' THEN '3'
                    ELSE REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2)
                    END
                AS channel_id FROM bid
                where REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) is not null or
                      lower(channel) in ('apple', 'google', 'facebook', 'baidu');
            """
        },
        {
            "q22", """
            -- Get URL directories: the first three directories of each bid's url.
            CREATE TABLE nexmark_q22 (
                  auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, dir1 VARCHAR, dir2 VARCHAR, dir3 VARCHAR
            ) WITH ('connector' = 'blackhole');

            INSERT INTO nexmark_q22
            SELECT
                auction, bidder, price, channel,
                SPLIT_INDEX(url, '/', 3) as dir1,
                SPLIT_INDEX(url, '/', 4) as dir2,
                SPLIT_INDEX(url, '/', 5) as dir3 FROM bid;
            """
        },
    };

    /// <summary>
    /// The one statement a query's script needs before it, by query name, for the queries that need one: q12's view
    /// <c>B</c> (bid with a processing-time column) and q13's side input table over the CSV file that
    /// <see cref="WriteSideInput"/> writes, its path the placeholder <see cref="SideInputPathPlaceholder"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Setup { get; } = new Dictionary<string, string>
    {
        {
            "q12", """
            CREATE VIEW B AS SELECT *, PROCTIME() as p_time FROM bid;
            """
        },
        {
            "q13", """
            CREATE TABLE side_input (
              key BIGINT,
              `value` VARCHAR
            ) WITH (
              'connector' = 'filesystem',
              'path' = '${SIDE_INPUT_PATH}',
              'format' = 'csv'
            );
            """
        },
    };

    /// <summary>Rows in the side input file of q13 (the nexmark project's default).</summary>
    public const int SideInputRows = 10_000;

    /// <summary>The placeholder for the side input file's path in <c>Setup["q13"]</c>.</summary>
    public const string SideInputPathPlaceholder = "${SIDE_INPUT_PATH}";

    /// <summary>
    /// q14's <c>count_char(s, c)</c>, as the nexmark project's CountChar: how many characters of <paramref name="text"/>
    /// equal the first character of <paramref name="character"/>; 0 for a NULL text. (The original counts UTF-8 bytes
    /// equal to the first byte, the same for the ASCII text of the events, and fails for a NULL or empty character,
    /// where this gives 0.) Pure; thread-safe.
    /// </summary>
    public static long CountChar(string? text, string? character)
    {
        if (text is null || string.IsNullOrEmpty(character))
        {
            return 0;
        }

        var wanted = character[0];
        long count = 0;
        foreach (var c in text)
        {
            if (c == wanted)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Writes q13's side input to <paramref name="path"/> as the nexmark project's SideInputGenerator does: the lines
    /// <c>i,i</c> for <c>i</c> in [0, <paramref name="rows"/>), UTF-8, each ended by a newline.
    /// </summary>
    public static void WriteSideInput(string path, int rows = SideInputRows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        File.WriteAllLines(path, Enumerable.Range(0, rows).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "," + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// <see cref="SourceTable"/> reading <paramref name="topic"/>, with <c>'scan.bounded.mode' = 'latest-offset'</c>
    /// when <paramref name="bounded"/> (the scan ends at the offsets that were the end when it started).
    /// </summary>
    public static string CreateSourceTable(string topic, bool bounded)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        var options = $"'topic' = '{topic.Replace("'", "''", StringComparison.Ordinal)}'" + (bounded ? ",\n    'scan.bounded.mode' = 'latest-offset'" : "");
        return SourceTable.Replace("'topic' = 'nexmark'", options, StringComparison.Ordinal);
    }

    /// <summary>The query that the script of <paramref name="name"/> inserts into its sink (the text after
    /// <c>INSERT INTO nexmark_qN</c>, without the final semicolon), to run as a query of its own.</summary>
    public static string Select(string name)
    {
        var script = Queries[name];
        var insert = "INSERT INTO nexmark_" + name;
        var start = script.IndexOf(insert, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"The script of {name} has no '{insert}'.");
        }

        return script[(start + insert.Length)..].Trim().TrimEnd(';');
    }
}
