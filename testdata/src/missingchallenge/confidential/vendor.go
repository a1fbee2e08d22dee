package confidential

import (
	"net/http"
	"net/url"
	"strings"
)

// Secrets under vendor names (casdoor's idp/kwai.go and idp/wechat.go):
// the client authenticates, so it is confidential whatever the key.
type Kwai struct{ AppID, AppSecret string }

func (k *Kwai) redeem(code string) (*http.Response, error) {
	params := url.Values{}
	params.Add("grant_type", "authorization_code")
	params.Add("app_id", k.AppID)
	params.Add("app_secret", k.AppSecret)
	params.Add("code", code)
	return http.PostForm("https://open.kuaishou.com/oauth2/access_token", params)
}

type WeChat struct{ ClientID, ClientSecret string }

func (w *WeChat) redeem(code string) (*http.Response, error) {
	params := url.Values{}
	params.Add("grant_type", "authorization_code")
	params.Add("appid", w.ClientID)
	params.Add("secret", w.ClientSecret)
	params.Add("code", code)
	return http.PostForm("https://api.weixin.qq.com/sns/oauth2/access_token", params)
}

// HTTP basic authentication with the secret, and no secret in the form.
func (w *WeChat) redeemBasic(code, redirect string) (*http.Response, error) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}}
	req, err := http.NewRequest("POST", "https://idp.example/token", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(w.ClientID, w.ClientSecret)
	return http.DefaultClient.Do(req)
}
