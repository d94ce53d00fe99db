# Regenerates the hostile corpus and tests/hostile/cases.tsv: run from tests/hostile/
# (python3 make_cases.py) and review the diff. Each case(): file, bytes, lockstep options,
# posts read, skipped, exit code, a substring of the expected message.
import gzip, os
H = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
G1 = "m1,u1,alice,,,hello world #tag,1600000000,\n"
G2 = "m2,u2,bob,m1,,RT @alice: hello world #tag,1600000010,\n"
IOH = "tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,follower_count,following_count,account_creation_date,account_language,tweet_language,tweet_text,tweet_time,tweet_client_name,in_reply_to_tweetid,in_reply_to_userid,quoted_tweet_tweetid,is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,retweet_count,hashtags,urls,user_mentions,poll_choices\n"
def io(tid, time="2016-11-08 19:52", tags="[x]", text="hello"):
    return f"{tid},300{tid[-1]},Name,user{tid[-1]},,,1,1,2014-06-01,en,en,{text},{time},Web,,,,False,,,,,0,0,0,0,{tags},[],[],\n"
def v1(i, created="Wed Oct 10 20:19:24 +0000 2018", text="hello", extra=""):
    return '{"created_at":"%s","id_str":"%d","text":"%s","user":{"id_str":"u%d","screen_name":"user%d"}%s}\n' % (created, i, text, i, i, extra)
def v2(i, created="2021-11-15T19:08:05.000Z", extra=""):
    return '{"id":"%d","author_id":"a%d","created_at":"%s","text":"hi"%s}\n' % (i, i, created, extra)
cases = []  # (file, bytes, args, read, skipped, exit, msg)
def case(name, data, args="-", read="-", skipped="-", code=0, msg="-"):
    if isinstance(data, str): data = data.encode()
    if data is not None:
        open(name, "wb").write(data)
    cases.append((name, args, str(read), str(skipped), str(code), msg))

# --- CSV (coordination-network-toolkit columns unless noted)
case("csv_truncated_last_line.csv", H + G1 + G2 + "m3,u3,car", read=2, skipped=1, msg="csv_truncated_last_line.csv:4: expected 8 fields, found 3")
case("csv_short_row.csv", H + G1 + "m9,u9\n" + G2, read=2, skipped=1, msg="csv_short_row.csv:3: expected 8 fields, found 2")
case("csv_long_row.csv", H + G1 + "m9,u9,x,,,t,1600000000,,extra,more\n" + G2, read=2, skipped=1, msg="csv_long_row.csv:3: expected 8 fields, found 10")
case("csv_invalid_utf8.csv", H + G1 + "m9,u9,x,,,bad \xff\xfe byte,1600000000,\n".encode('latin1').decode('latin1') if False else (H + G1).encode() + b"m9,u9,x,,,bad \xff\xfe byte,1600000000,\n" + G2.encode(), read=2, skipped=1, msg="csv_invalid_utf8.csv:3: field 'text': invalid UTF-8 at byte 4")
case("csv_overlong_utf8.csv", (H + G1).encode() + b"m9,u9,x,,,slash \xc0\xaf overlong,1600000000,\n" + G2.encode(), read=2, skipped=1, msg="csv_overlong_utf8.csv:3: field 'text': invalid UTF-8 at byte 6")
case("csv_surrogate_utf8.csv", (H + G1).encode() + b"m9,u9,x,,,sur \xed\xa0\x80 rogate,1600000000,\n" + G2.encode(), read=2, skipped=1, msg="csv_surrogate_utf8.csv:3: field 'text': invalid UTF-8 at byte 4")
case("csv_truncated_utf8.csv", (H + G1).encode() + b"m9,u9,x,,,cut \xe2\x82,1600000000,\n" + G2.encode(), read=2, skipped=1, msg="csv_truncated_utf8.csv:3: field 'text': invalid UTF-8 at byte 4")
case("csv_nul_byte.csv", (H + G1).encode() + b"m9,u9,x,,,nul\x00here,1600000000,\n" + G2.encode(), read=2, skipped=1, msg="csv_nul_byte.csv:3: field 'text': NUL byte at byte 3")
case("csv_nul_in_handle.csv", (H + G1).encode() + b"m9,u9,x\x00y,,,text,1600000000,\n" + G2.encode(), read=2, skipped=1, msg="csv_nul_in_handle.csv:3: field 'handle': NUL byte at byte 1")
case("csv_bom.csv", "\ufeff" + H + G1 + G2, read=2, skipped=0)
case("csv_crlf.csv", (H + G1 + G2).replace("\n", "\r\n"), read=2, skipped=0)
case("csv_lone_cr.csv", (H + G1 + G2).replace("\n", "\r"), read=2, skipped=0)
case("csv_unbalanced_quote.csv", H + G1 + 'm9,u9,x,,,"never closed,1600000000,\n' + G2, read=1, skipped=1, msg="csv_unbalanced_quote.csv:3: unterminated quoted field")
case("csv_quote_in_field.csv", H + 'm1,u1,alice,,,say "hi" now,1600000000,\n' + G2, read=2, skipped=0)
case("csv_embedded_newline.csv", H + 'm1,u1,alice,,,"two\nlines",1600000000,\n' + 'm3,u3,x,,,t,later,\n' + G2, read=2, skipped=1, msg="csv_embedded_newline.csv:4: field 'timestamp': cannot parse 'later' as a time")
case("csv_bad_time.csv", H + G1 + "m9,u9,x,,,t,not-a-time,\n" + G2, read=2, skipped=1, msg="csv_bad_time.csv:3: field 'timestamp': cannot parse 'not-a-time' as a time")
case("csv_time_year_2150.csv", H + G1 + "m9,u9,x,,,t,2150-01-01 00:00:00,\n" + G2, read=2, skipped=1, msg="csv_time_year_2150.csv:3: field 'timestamp'")
case("csv_time_before_1970.csv", H + G1 + "m9,u9,x,,,t,1969-12-31 23:59:59,\n" + G2, read=2, skipped=1, msg="csv_time_before_1970.csv:3: field 'timestamp'")
case("csv_time_month_13.csv", H + G1 + "m9,u9,x,,,t,2016-13-01 00:00:00,\n" + G2, read=2, skipped=1, msg="csv_time_month_13.csv:3: field 'timestamp'")
case("csv_time_feb_30.csv", H + G1 + "m9,u9,x,,,t,2016-02-30 00:00:00,\n" + G2, read=2, skipped=1, msg="csv_time_feb_30.csv:3: field 'timestamp'")
case("csv_time_negative.csv", H + G1 + "m9,u9,x,,,t,-5,\n" + G2, read=2, skipped=1, msg="csv_time_negative.csv:3: field 'timestamp'")
case("csv_time_huge_epoch.csv", H + G1 + "m9,u9,x,,,t,99999999999999999999999,\n" + G2, read=2, skipped=1, msg="csv_time_huge_epoch.csv:3: field 'timestamp'")
case("csv_time_empty.csv", H + G1 + "m9,u9,x,,,t,,\n" + G2, read=2, skipped=1, msg="csv_time_empty.csv:3: field 'timestamp': cannot parse '' as a time")
case("csv_duplicate_id.csv", H + G1 + G2 + G1.replace("hello", "again"), read=2, skipped=1, msg="csv_duplicate_id.csv:4: duplicate post id 'm1'")
case("csv_no_account.csv", H + G1 + "m9,,,,,t,1600000000,\n" + G2, read=2, skipped=1, msg="csv_no_account.csv:3: field 'user_id': empty account")
case("csv_many_fields.csv", H + G1 + ",".join(["x"] * 5000) + "\n" + G2, read=2, skipped=1, msg="csv_many_fields.csv:3: more than 4096 fields")
case("csv_empty.csv", "", code=3, msg="csv_empty.csv: empty input")
case("csv_blank_lines_only.csv", "\n\n  \n", code=3, msg="csv_blank_lines_only.csv")
case("csv_header_only.csv", H, read=0, skipped=0)
case("csv_unknown_header.csv", "a,b,c\n1,2,3\n", code=3, msg="csv_unknown_header.csv: cannot detect the format")
case("csv_binary_garbage.csv", bytes(range(256)) * 4, code=3, msg="csv_binary_garbage.csv")
case("csv_gzip_truncated.csv.gz", gzip.compress((H + G1 + G2).encode() * 50)[:-40], code=1, msg="csv_gzip_truncated.csv.gz: ")
case("csv_zstd_corrupt.csv.zst", b"\x28\xb5\x2f\xfd" + b"\x00\x58\xff\xff garbage that is not a zstd frame" * 3, code=1, msg="csv_zstd_corrupt.csv.zst: corrupt zstd data")
case("csv_strict_bad_time.csv", H + G1 + "m9,u9,x,,,t,not-a-time,\n" + G2, args="--strict", code=3, msg="csv_strict_bad_time.csv:3: field 'timestamp'")
case("csv_strict_duplicate.csv", H + G1 + G2 + G1, args="--strict", read=2, skipped=1, msg="csv_strict_duplicate.csv:4: duplicate post id 'm1'")
case("csv_columns_missing.csv", "who,when\nu1,2020-01-01 00:00\n", args="--columns account=who,time=whence", code=3, msg="csv_columns_missing.csv: --columns: the header has no column 'whence'")
case("csv_columns_unknown_field.csv", "who,when\nu1,2020-01-01 00:00\n", args="--columns acount=who,time=when", code=2, msg="--columns: unknown field 'acount'")
case("csv_columns_bad_time.csv", "who,when\nu1,01/02/2020\nu2,2020-01-01\n", args="--columns account=who,time=when --time-format %d/%m/%Y", read=1, skipped=1, msg="csv_columns_bad_time.csv:3: field 'time': cannot parse '2020-01-01'")
# --- IO archive CSV
case("io_bad_time.csv", IOH + io("901") + io("902", time="08/11/2016 19:52") + io("903"), read=2, skipped=1, msg="io_bad_time.csv:3: field 'tweet_time'")
case("io_wrong_fields.csv", IOH + io("901") + "902,3002,x\n" + io("903"), read=2, skipped=1, msg="io_wrong_fields.csv:3: expected 30 fields, found 3")
case("io_unclosed_list.csv", IOH + io("901", tags='"[a, b"') + io("902", tags='"]]][[[,,,"') + io("903", tags='"[\'\', """"""]"'), read=3, skipped=0)
case("io_duplicate_id.csv", IOH + io("901") + io("902") + io("901"), read=2, skipped=1, msg="io_duplicate_id.csv:4: duplicate post id '901'")
# --- Twitter v1.1 JSON lines
case("v1_truncated_line.jsonl", v1(1) + v1(2)[:40] + "\n" + v1(3), read=2, skipped=1, msg="v1_truncated_line.jsonl:2: invalid JSON")
case("v1_truncated_last_line.jsonl", v1(1) + v1(2) + v1(3)[:50], read=2, skipped=1, msg="v1_truncated_last_line.jsonl:3: invalid JSON")
case("v1_invalid_utf8.jsonl", v1(1).encode() + v1(2, text="bad \\u00e9").encode().replace(b"\\u00e9", b"\xff") + v1(3).encode(), read=2, skipped=1, msg="v1_invalid_utf8.jsonl:2: invalid JSON")
case("v1_overlong_utf8.jsonl", v1(1).encode() + v1(2, text="X").encode().replace(b'"X"', b'"\xc0\xaf"') + v1(3).encode(), read=2, skipped=1, msg="v1_overlong_utf8.jsonl:2: invalid JSON")
case("v1_nul_raw.jsonl", v1(1).encode() + v1(2, text="X").encode().replace(b'"X"', b'"a\x00b"') + v1(3).encode(), read=2, skipped=1, msg="v1_nul_raw.jsonl:2: invalid JSON")
case("v1_nul_escaped.jsonl", v1(1) + v1(2, text="a\\u0000b") + v1(3), read=2, skipped=1, msg="v1_nul_escaped.jsonl:2: field 'text': NUL byte at byte 1")
case("v1_lone_surrogate.jsonl", v1(1) + v1(2, text="a\\ud800b") + v1(3), read=2, skipped=1, msg="v1_lone_surrogate.jsonl:2: ")
case("v1_bom.jsonl", "\ufeff" + v1(1) + v1(2), read=2, skipped=0)
case("v1_crlf.jsonl", (v1(1) + v1(2) + "\n" + v1(3)).replace("\n", "\r\n"), read=3, skipped=0)
case("v1_deeply_nested.jsonl", v1(1) + '{"a":' * 5000 + '1' + '}' * 5000 + "\n" + v1(3), args="--format twitter-v1", read=2, skipped=1, msg="v1_deeply_nested.jsonl:2: invalid JSON")
case("v1_deep_array.jsonl", v1(1) + '[' * 100000 + ']' * 100000 + "\n" + v1(3), args="--format twitter-v1", read=2, skipped=1, msg="v1_deep_array.jsonl:2: invalid JSON")
case("v1_number_too_large.jsonl", v1(1) + '{"created_at":"Wed Oct 10 20:19:24 +0000 2018","id":123456789012345678901234567890,"user":{"id_str":"9"}}\n' + v1(3), read=2, skipped=1, msg="v1_number_too_large.jsonl:2: invalid JSON")
case("v1_float_overflow.jsonl", v1(1) + v1(2, extra=',"x":1e999') + v1(3), read=2, skipped=1, msg="v1_float_overflow.jsonl:2: invalid JSON")
case("v1_missing_user.jsonl", v1(1) + '{"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"2","text":"x"}\n' + v1(3), read=2, skipped=1, msg="v1_missing_user.jsonl:2: field 'user': missing")
case("v1_user_not_object.jsonl", v1(1) + '{"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"2","user":"bob"}\n' + v1(3), read=2, skipped=1, msg="v1_user_not_object.jsonl:2: field 'user'")
case("v1_missing_id.jsonl", v1(1) + '{"created_at":"Wed Oct 10 20:19:24 +0000 2018","user":{"id_str":"9"}}\n' + v1(3), read=2, skipped=1, msg="v1_missing_id.jsonl:2: field 'id_str': missing")
case("v1_missing_created_at.jsonl", v1(1) + '{"id_str":"2","user":{"id_str":"9"}}\n' + v1(3), read=2, skipped=1, msg="v1_missing_created_at.jsonl:2: field 'created_at': missing")
case("v1_bad_created_at.jsonl", v1(1) + v1(2, created="Wed Foo 10 20:19:24 +0000 2018") + v1(3), read=2, skipped=1, msg="v1_bad_created_at.jsonl:2: field 'created_at': cannot parse 'Wed Foo 10 20:19:24 +0000 2018' as a time")
case("v1_time_out_of_range.jsonl", v1(1) + v1(2, created="Wed Oct 10 20:19:24 +0000 2150") + v1(3), read=2, skipped=1, msg="v1_time_out_of_range.jsonl:2: field 'created_at'")
case("v1_created_at_number.jsonl", v1(1) + '{"created_at":12,"id_str":"2","user":{"id_str":"9"}}\n' + v1(3), read=2, skipped=1, msg="v1_created_at_number.jsonl:2: field 'created_at': missing")
case("v1_duplicate_id.jsonl", v1(1) + v1(2) + v1(1), read=2, skipped=1, msg="v1_duplicate_id.jsonl:3: duplicate post id '1'")
case("v1_not_an_object.jsonl", v1(1) + '42\n"a string"\nnull\n' + v1(3), read=2, skipped=3, msg="v1_not_an_object.jsonl:2: not a JSON object or array")
case("v1_array_of_scalars.jsonl", v1(1) + '[1, "x", null]\n' + v1(3), read=2, skipped=3, msg="v1_array_of_scalars.jsonl:2: [0]: not a JSON object")
case("v1_trailing_garbage.jsonl", v1(1) + v1(2).rstrip("\n") + " garbage\n" + v1(3), read=2, skipped=1, msg="v1_trailing_garbage.jsonl:2: invalid JSON")
case("v1_two_objects_one_line.jsonl", v1(1) + v1(2).rstrip("\n") + v1(4) + v1(3), read=2, skipped=1, msg="v1_two_objects_one_line.jsonl:2: invalid JSON")
case("v1_retweet_without_id.jsonl", v1(1) + v1(2, extra=',"retweeted_status":{"text":"x"}') + v1(3), read=2, skipped=1, msg="v1_retweet_without_id.jsonl:2: field 'retweeted_status.id_str'")
case("v1_wrong_types.jsonl", v1(1) + '{"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"2","text":7,"entities":{"urls":"x","hashtags":[1,{"text":5}]},"retweeted_status":[],"user":{"id_str":"9"}}\n' + v1(3), read=3, skipped=0)
case("v1_all_bad.jsonl", '{"x":\n{"y":\n', args="--format twitter-v1", read=0, skipped=2, msg="v1_all_bad.jsonl:1: invalid JSON")
case("v1_all_bad_detect.jsonl", '{"x":\n{"y":\n', code=3, msg="v1_all_bad_detect.jsonl: no valid JSON record")
case("v1_strict_truncated.jsonl", v1(1) + v1(2)[:40] + "\n" + v1(3), args="--strict", code=3, msg="v1_strict_truncated.jsonl:2: invalid JSON")
# --- Twitter v2
case("v2_page_bad_element.jsonl", '{"data":[%s,{"id":"2","author_id":"a2","text":"x"},%s]}\n' % (v2(1).strip(), v2(3).strip()), read=2, skipped=1, msg="v2_page_bad_element.jsonl:1: data[1]: field 'created_at': missing")
case("v2_data_not_array.jsonl", v2(1) + '{"data":5}\n' + v2(3), read=2, skipped=1, msg="v2_data_not_array.jsonl:2: field 'data': not an array or object")
case("v2_truncated_page.json", '{\n "data": [\n  ' + v2(1).strip() + ',\n  ' + v2(2).strip()[:30], code=3, msg="v2_truncated_page.json:1: invalid JSON")
case("v2_bad_iso_time.jsonl", v2(1) + v2(2, created="2021-11-15T25:08:05.000Z") + v2(3), read=2, skipped=1, msg="v2_bad_iso_time.jsonl:2: field 'created_at': cannot parse '2021-11-15T25:08:05.000Z'")
case("v2_refs_wrong_types.jsonl", v2(1) + v2(2, extra=',"referenced_tweets":"x"') + v2(3, extra=',"referenced_tweets":[{"type":5},{"id":"1"},7]'), read=3, skipped=0)
case("v2_includes_huge.jsonl", '{"data":[%s],"includes":{"users":[%s]}}\n' % (v2(1).strip(), ",".join('{"id":"u%d","username":"n%d"}' % (i, i) for i in range(3000))), read=1, skipped=0)
case("v2_no_author.jsonl", v2(1) + '{"id":"2","created_at":"2021-11-15T19:08:05.000Z","text":"x"}\n{"data":[]}\n', read=1, skipped=1, msg="v2_no_author.jsonl:2: field 'author_id': empty account")
case("json_undetectable.jsonl", '{"foo":1}\n{"bar":2}\n', code=3, msg="json_undetectable.jsonl:1: cannot detect the JSON format")
# --- meta-ads (Meta Ad Library API)
import json as _json
def meta(i, **kw):
    d = {"id": str(i), "page_id": "p%d" % i, "page_name": "Page %d" % i,
         "ad_delivery_start_time": "2016-05-0%dT10:00:00+0000" % i, "ad_creative_bodies": ["ad %d" % i],
         "ad_snapshot_url": "https://www.facebook.com/ads/archive/render_ad/?id=%d" % i}
    d.update(kw)
    return _json.dumps({k: v for k, v in d.items() if v is not None}, ensure_ascii=False) + "\n"
case("meta_bad_time.jsonl", meta(1) + meta(2, ad_delivery_start_time="2016-13-45T10:00:00+0000") + meta(3), read=2, skipped=1, msg="meta_bad_time.jsonl:2: field 'ad_delivery_start_time': cannot parse '2016-13-45T10:00:00+0000'")
case("meta_bad_date_only.jsonl", meta(1) + meta(2, ad_delivery_start_time="2016-02-30") + meta(3), read=2, skipped=1, msg="meta_bad_date_only.jsonl:2: field 'ad_delivery_start_time': cannot parse '2016-02-30T00:00:00Z'")
case("meta_no_time.jsonl", meta(1) + meta(2, ad_delivery_start_time=None) + meta(3), read=2, skipped=1, msg="meta_no_time.jsonl:2: field 'ad_delivery_start_time': missing")
case("meta_no_page.jsonl", meta(1) + meta(2, page_id=None, page_name=None) + meta(3), read=2, skipped=1, msg="meta_no_page.jsonl:2: field 'page_id': empty account")
case("meta_page_bad_element.jsonl", '{"data":[%s,7,%s],"paging":{}}\n' % (meta(1).strip(), meta(3).strip()), read=2, skipped=1, msg="meta_page_bad_element.jsonl:1: data[1]: not a JSON object")
case("meta_wrong_types.jsonl", meta(1, spend="100", impressions={"lower_bound": "abc", "upper_bound": -5}, demographic_distribution="x", delivery_by_region={}, publisher_platforms=[1, None], ad_creative_bodies="notarray") +
     meta(2, spend={"lower_bound": 1e30}, impressions={"lower_bound": "99999999999999999999"}, demographic_distribution=[{"age": 5}, 7, {"gender": "male", "percentage": "abc"}], currency=3, ad_delivery_stop_time=12) +
     meta(3, ad_creative_link_captions=[5, "not a link", "ok.example"], languages="en", page_id=12345), read=3, skipped=0)
case("meta_many_facets.jsonl", meta(1, delivery_by_region=[{"region": "R%d" % k, "percentage": "0.001"} for k in range(500)]) + meta(2), read=2, skipped=0)
case("meta_huge_bodies.jsonl", meta(1, ad_creative_bodies=["\u00e9" * 1000 + str(k) for k in range(40)], ad_creative_link_titles=["t%d" % k for k in range(100)]) + meta(2), read=2, skipped=0)
case("meta_empty_page.json", '{"data": [], "paging": {"cursors": {}}}\n', read=0, skipped=0)
case("meta_strict_bad_time.jsonl", meta(1) + meta(2, ad_delivery_start_time="soon"), args="--strict", code=3, msg="meta_strict_bad_time.jsonl:2: field 'ad_delivery_start_time'")
# --- special inputs made at test time (no file committed)
case("@directory", None, code=1, msg="is a directory")
case("@unreadable", None, code=1, msg="Permission denied")
case("@100mb_line.csv", None, read=2, skipped=1, msg=":3: record longer than 16777216 bytes")
case("@100mb_line.jsonl", None, read=2, skipped=1, msg=":2: record longer than 16777216 bytes")

with open("cases.tsv", "w") as f:
    f.write("# file\targs\tread\tskipped\texit\tmessage (substring of stderr; '-' = none)\n")
    for c in cases:
        f.write("\t".join(c) + "\n")
print(len(cases), "cases")
