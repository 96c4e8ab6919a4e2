# unread_close: Linux 6.18.44-fc-v782, RTT 20 ms (10 ms each way), no timestamps/SACK/wscale
# application calls, time relative to the first segment at host A;
# '-> result' is what the call returned (on a line of its own when the call took >5 ms)
-0.479765 B listen 80 -> ok
-0.479299 B accept
-0.000175 A connect 10.0.0.2:80
0.020876 A connect 10.0.0.2:80 -> ok
0.031532 B accept -> 10.0.0.1:40000
0.121292 A send 100 -> 100
0.121635 A recv
0.232204 B close (100 bytes unread) -> ok
0.243789 A recv -> error ECONNRESET
0.344224 A close -> ok
