# refused: Linux 6.18.44-fc-v782, RTT 20 ms (10 ms each way), no timestamps/SACK/wscale
# application calls, time relative to the first segment at host A;
# '-> result' is what the call returned (on a line of its own when the call took >5 ms)
-0.004402 A connect 10.0.0.2:80
0.020703 A connect 10.0.0.2:80 -> error ECONNREFUSED
0.020810 A close -> ok
