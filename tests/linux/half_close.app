# half_close: Linux 6.18.44-fc-v782, RTT 20 ms (10 ms each way), no timestamps/SACK/wscale
# application calls, time relative to the first segment at host A;
# '-> result' is what the call returned (on a line of its own when the call took >5 ms)
-0.483018 B listen 80 -> ok
-0.482827 B accept
-0.000218 A connect 10.0.0.2:80
0.020835 A connect 10.0.0.2:80 -> ok
0.031347 B accept -> 10.0.0.1:40000
0.031521 B recv
0.121455 A send 100 -> 100
0.132829 B recv -> 100
0.132970 B recv
0.221975 A shutdown SHUT_WR -> ok
0.222183 A recv
0.232701 B recv -> 0 (EOF)
0.332986 B send 5 -> 5
0.343792 A recv -> 5
0.343916 A recv
0.433362 B close -> ok
0.444196 A recv -> 0 (EOF)
0.544576 A close -> ok
